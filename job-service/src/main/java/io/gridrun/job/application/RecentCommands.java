package io.gridrun.job.application;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Commands a periodic checker published lately, by key, so that it does not publish the same one
 * again while the first is still on its way to the job's handler.
 */
final class RecentCommands {

  private final Duration window;
  private final Map<String, Instant> sent = new ConcurrentHashMap<>();

  RecentCommands(Duration window) {
    this.window = window;
  }

  /** Whether the command for {@code key} may be published: none was within the window. */
  boolean due(String key, Instant now) {
    Instant before = sent.get(key);
    return before == null || !before.isAfter(now.minus(window));
  }

  void sent(String key, Instant now) {
    sent.put(key, now);
  }

  /** Forgets commands older than the window: they are due again anyway. */
  void forgetOld(Instant now) {
    sent.values().removeIf(at -> !at.isAfter(now.minus(window)));
  }
}

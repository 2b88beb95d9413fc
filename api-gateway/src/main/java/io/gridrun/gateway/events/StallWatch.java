package io.gridrun.gateway.events;

import java.time.Duration;

/**
 * Tells whether a client stopped reading: events wait for it (its cursor is short of the tail) and
 * its cursor has not moved for longer than the timeout. Called periodically, from one thread at a
 * time.
 */
final class StallWatch {

  private final long timeoutNanos;
  private EventCursor lastSeen;
  private boolean waiting;
  private long unchangedSince;

  StallWatch(Duration timeout, long nowNanos) {
    this.timeoutNanos = timeout.toNanos();
    this.unchangedSince = nowNanos;
  }

  boolean stalled(EventCursor client, EventCursor tail, long nowNanos) {
    if (client == null || client.reached(tail)) {
      waiting = false;
      return false;
    }
    if (!waiting || !client.equals(lastSeen)) {
      waiting = true;
      lastSeen = client;
      unchangedSince = nowNanos;
      return false;
    }
    return nowNanos - unchangedSince > timeoutNanos;
  }
}

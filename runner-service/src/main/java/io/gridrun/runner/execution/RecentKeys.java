package io.gridrun.runner.execution;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bounded, thread-safe set of keys a runner remembers for a while: the run attempts it took (so
 * that a redelivered request is not executed twice) and the cancellations it heard of. Once full,
 * the oldest keys are forgotten; what forgetting costs is bounded elsewhere (an attempt executed
 * for a run that ended is stopped at its first heartbeat).
 */
public final class RecentKeys {

  private final Map<String, Boolean> keys;

  public RecentKeys(int capacity) {
    this.keys =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** Remembers {@code key}; true if it was not remembered already. */
  public synchronized boolean add(String key) {
    return keys.put(key, Boolean.TRUE) == null;
  }

  public synchronized boolean contains(String key) {
    return keys.containsKey(key);
  }
}

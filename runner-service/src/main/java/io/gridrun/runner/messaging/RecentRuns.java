package io.gridrun.runner.messaging;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run attempts this runner took lately, so that a redelivered {@code RunRequested} (a rebalance
 * before the offset was committed) does not execute the same attempt twice. Bounded: the oldest are
 * forgotten.
 */
final class RecentRuns {

  private final Map<String, Boolean> seen;

  RecentRuns(int capacity) {
    this.seen =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > capacity;
          }
        };
  }

  /** True the first time {@code key} is seen. */
  synchronized boolean firstTime(String key) {
    return seen.put(key, Boolean.TRUE) == null;
  }
}

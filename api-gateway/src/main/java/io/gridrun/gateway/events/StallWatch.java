package io.gridrun.gateway.events;

import java.time.Duration;

/**
 * Tells whether a client stopped reading: events wait for it (its cursor is short of the tail), it
 * asks for none (no outstanding demand: what it asked for was delivered), and its cursor has not
 * moved, all for longer than the timeout. A client that asked for events the server is still
 * fetching (catching up from the topic) is not stalled, however slow the fetch. Called
 * periodically, from one thread at a time.
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

  /**
   * @param demand events the client asked for that it has not received yet
   */
  boolean stalled(EventCursor client, EventCursor tail, long demand, long nowNanos) {
    if (client == null || client.reached(tail) || demand > 0) {
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

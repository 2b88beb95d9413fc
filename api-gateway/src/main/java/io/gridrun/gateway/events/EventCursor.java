package io.gridrun.gateway.events;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A position in the status topic: for each partition, the offset of the next event to deliver.
 * Written as the server-sent event id ({@code "12.0.7.3.0.9"}), so a client that reconnects with
 * {@code Last-Event-ID} resumes exactly after the last event it saw, on any gateway.
 */
public record EventCursor(long[] next) {

  public static EventCursor of(long... next) {
    return new EventCursor(next.clone());
  }

  public static Optional<EventCursor> parse(String id, int partitions) {
    if (id == null || id.isBlank()) {
      return Optional.empty();
    }
    String[] parts = id.trim().split("\\.");
    if (parts.length != partitions) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new EventCursor(Arrays.stream(parts).mapToLong(Long::parseLong).toArray()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public int partitions() {
    return next.length;
  }

  public long next(int partition) {
    return next[partition];
  }

  /** Whether the event at {@code partition}/{@code offset} comes at or after this cursor. */
  public boolean admits(int partition, long offset) {
    return offset >= next[partition];
  }

  /** The cursor once the event at {@code partition}/{@code offset} was delivered. */
  public EventCursor after(int partition, long offset) {
    long[] moved = next.clone();
    moved[partition] = Math.max(moved[partition], offset + 1);
    return new EventCursor(moved);
  }

  /** How many events lie between this cursor and {@code tail}, over all partitions. */
  public long behind(EventCursor tail) {
    long behind = 0;
    for (int p = 0; p < next.length; p++) {
      behind += Math.max(0, tail.next[p] - next[p]);
    }
    return behind;
  }

  /** Whether every partition of this cursor is at or past {@code other}. */
  public boolean reached(EventCursor other) {
    for (int p = 0; p < next.length; p++) {
      if (next[p] < other.next[p]) {
        return false;
      }
    }
    return true;
  }

  public String id() {
    return Arrays.stream(next).mapToObj(Long::toString).collect(Collectors.joining("."));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventCursor c && Arrays.equals(next, c.next);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(next);
  }

  @Override
  public String toString() {
    return id();
  }
}

package io.gridrun.gateway.events;

import java.util.Optional;

/**
 * Where a client asks to resume, read from its {@code Last-Event-ID}: an event id is {@code
 * <epoch>:<cursor>}, the epoch naming the event log the cursor belongs to (the status topic's id,
 * new with every new log: a broker that started empty, a recreated topic). A cursor of this log is
 * resumed from; one from another log, or that this log cannot have written, is answered with a
 * {@code stream.reset} event instead of silence. An id without an epoch (written before epochs) is
 * taken as a cursor of the current log unless it lies beyond the log's end.
 */
sealed interface StreamResume {

  /** No {@code Last-Event-ID}: a new client, followed from the tail. */
  record Fresh() implements StreamResume {}

  /** A cursor of the current log. */
  record From(EventCursor cursor) implements StreamResume {}

  /** A cursor that does not belong to the current log, and why. */
  record Reset(String reason) implements StreamResume {}

  /** The separator between the epoch and the cursor in an event id. */
  char SEPARATOR = ':';

  /** The event id of {@code cursor} in the log of {@code epoch}. */
  static String id(String epoch, EventCursor cursor) {
    return epoch + SEPARATOR + cursor.id();
  }

  /**
   * Reads {@code lastEventId} against the current log: its {@code epoch}, its partition count and
   * where its tail is.
   */
  static StreamResume of(Optional<String> lastEventId, String epoch, EventCursor tail) {
    if (lastEventId.isEmpty() || lastEventId.get().isBlank()) {
      return new Fresh();
    }
    String id = lastEventId.get().trim();
    int separator = id.lastIndexOf(SEPARATOR);
    String cursorText = separator < 0 ? id : id.substring(separator + 1);
    if (separator >= 0 && !id.substring(0, separator).equals(epoch)) {
      return new Reset(
          "the Last-Event-ID is from another event log (the broker's log was replaced since);"
              + " events before now cannot be replayed: read the current state");
    }
    Optional<EventCursor> cursor = EventCursor.parse(cursorText, tail.partitions());
    if (cursor.isEmpty()) {
      return new Reset(
          "the Last-Event-ID is not a position in this event log; read the current state");
    }
    if (separator < 0 && !tail.reached(cursor.get())) {
      return new Reset(
          "the Last-Event-ID lies beyond the end of this event log (it is from an older log);"
              + " read the current state");
    }
    return new From(cursor.get());
  }
}

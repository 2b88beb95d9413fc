package io.gridrun.common.event;

/** A message on a gridrun topic that is not a valid event; it goes to the dead-letter topic. */
public class UndecodableEventException extends RuntimeException {

  public UndecodableEventException(String message) {
    super(message);
  }

  public UndecodableEventException(String message, Throwable cause) {
    super(message, cause);
  }
}

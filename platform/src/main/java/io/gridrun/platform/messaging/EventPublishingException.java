package io.gridrun.platform.messaging;

/** An event could not be handed to Kafka. */
public class EventPublishingException extends RuntimeException {

  public EventPublishingException(String message, Throwable cause) {
    super(message, cause);
  }
}

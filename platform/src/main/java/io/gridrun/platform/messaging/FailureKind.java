package io.gridrun.platform.messaging;

import io.gridrun.common.event.UndecodableEventException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * What a consumer's failure says about its message: a message that can never be handled ({@link
 * #POISON}), an outage of something the handler needs ({@link #INFRASTRUCTURE}: the database or the
 * broker unreachable, a timeout), or anything else ({@link #OTHER}).
 */
public enum FailureKind {
  /** Undecodable or invalid: parked on the dead-letter topic at once. */
  POISON,
  /** The database or broker is unreachable or timed out: retried without limit. */
  INFRASTRUCTURE,
  /** Retried a few times (an event that arrived before the one it follows), then parked. */
  OTHER;

  /** Exceptions of libraries the platform does not depend on, named by class. */
  private static final Set<String> INFRASTRUCTURE_CLASSES =
      Set.of(
          "com.mongodb.MongoTimeoutException",
          "com.mongodb.MongoSocketException",
          "com.mongodb.MongoExecutionTimeoutException",
          "com.mongodb.MongoNotPrimaryException",
          "com.mongodb.MongoNodeIsRecoveringException",
          "com.mongodb.MongoConnectionPoolClearedException",
          "com.mongodb.MongoInterruptedException",
          "org.apache.kafka.common.errors.RetriableException",
          "org.springframework.dao.TransientDataAccessException",
          "org.springframework.dao.DataAccessResourceFailureException");

  private static final Set<String> POISON_CLASSES =
      Set.of(
          "org.springframework.kafka.support.serializer.DeserializationException",
          "org.springframework.messaging.converter.MessageConversionException",
          "org.springframework.kafka.support.converter.ConversionException");

  /** Classifies by the failure and its causes; poison wins over an outage, an outage over other. */
  public static FailureKind of(Throwable failure) {
    FailureKind kind = OTHER;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UndecodableEventException || matches(t, POISON_CLASSES)) {
        return POISON;
      }
      if (t instanceof EventPublishingException
          || t instanceof TimeoutException
          || t instanceof SocketException
          || t instanceof SocketTimeoutException
          || matches(t, INFRASTRUCTURE_CLASSES)) {
        kind = INFRASTRUCTURE;
      }
    }
    return kind;
  }

  private static boolean matches(Throwable t, Set<String> names) {
    for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
      if (names.contains(c.getName())) {
        return true;
      }
    }
    return false;
  }
}

package io.gridrun.platform.messaging;

import io.gridrun.common.event.Topics;
import io.gridrun.common.event.UndecodableEventException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handler every gridrun consumer shares. A failing message is retried in place (the
 * container seeks back to it, so no later message of its partition, and thus of its job, overtakes
 * it):
 *
 * <ul>
 *   <li>an outage ({@link FailureKind#INFRASTRUCTURE}) without limit, with backoff, and the
 *       partition shows as held in health and metrics ({@link HeldPartitions});
 *   <li>poison ({@link FailureKind#POISON}: undecodable, invalid) is parked on {@code <topic>-dlt}
 *       at once;
 *   <li>anything else a few times, then parked.
 * </ul>
 *
 * A message whose retries ran out while it was failing for another reason and that then fails by an
 * outage is not parked: the outage is waited out.
 */
public final class ConsumerErrorHandling {

  private static final Logger log = LoggerFactory.getLogger(ConsumerErrorHandling.class);

  private ConsumerErrorHandling() {}

  public static DefaultErrorHandler errorHandler(
      KafkaOperations<?, ?> template, ConsumerRetryProperties retry, HeldPartitions held) {
    DeadLetterPublishingRecoverer deadLetters =
        new DeadLetterPublishingRecoverer(
            template,
            (record, exception) -> {
              log.error(
                  "Parking message {}-{}@{} on the dead-letter topic: {}",
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  exception.getMessage());
              return new TopicPartition(Topics.deadLetterOf(record.topic()), record.partition());
            });
    DefaultErrorHandler handler =
        new DefaultErrorHandler(
            (ConsumerRecord<?, ?> record, Exception exception) -> {
              if (FailureKind.of(exception) == FailureKind.INFRASTRUCTURE) {
                // refusing to recover makes the handler seek back and start its back-off anew
                throw new IllegalStateException(
                    "not parking "
                        + record.topic()
                        + "-"
                        + record.partition()
                        + "@"
                        + record.offset()
                        + ": waiting out an outage",
                    exception);
              }
              deadLetters.accept(record, exception);
            },
            bounded(retry));
    handler.setBackOffFunction(
        (record, exception) ->
            FailureKind.of(exception) == FailureKind.INFRASTRUCTURE ? unlimited(retry) : null);
    handler.addNotRetryableExceptions(UndecodableEventException.class);
    handler.setRetryListeners(held);
    handler.setLogLevel(org.springframework.kafka.KafkaException.Level.WARN);
    return handler;
  }

  private static BackOff bounded(ConsumerRetryProperties retry) {
    ExponentialBackOffWithMaxRetries backOff =
        new ExponentialBackOffWithMaxRetries(retry.otherAttempts());
    backOff.setInitialInterval(retry.initialInterval().toMillis());
    backOff.setMultiplier(retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    return backOff;
  }

  private static BackOff unlimited(ConsumerRetryProperties retry) {
    ExponentialBackOff backOff =
        new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
    backOff.setMaxInterval(retry.maxInterval().toMillis());
    backOff.setMaxElapsedTime(Long.MAX_VALUE);
    return backOff;
  }
}

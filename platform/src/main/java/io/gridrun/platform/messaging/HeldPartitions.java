package io.gridrun.platform.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.kafka.listener.RecordInterceptor;
import org.springframework.kafka.listener.RetryListener;

/**
 * The partitions whose consumers are retrying a message, so that health and metrics show a consumer
 * waiting out an outage. A partition is held from a message's first failed delivery until that
 * message is handled (the listener succeeds on its partition) or parked on the dead-letter topic.
 *
 * <p>Metrics: {@code gridrun.consumer.partitions.held} (gauge, tag {@code kind}), {@code
 * gridrun.consumer.retries} (counter, tag {@code kind}), {@code gridrun.consumer.dead.letters}
 * (counter, tag {@code topic}).
 */
public class HeldPartitions
    implements RetryListener, RecordInterceptor<Object, Object>, BatchInterceptor<Object, Object> {

  /** A partition held by a message that keeps failing. */
  public record Held(
      String topic,
      int partition,
      long offset,
      FailureKind kind,
      Instant since,
      int attempts,
      String error) {}

  private final Map<TopicPartition, Held> held = new ConcurrentHashMap<>();
  private final Clock clock;
  private final MeterRegistry meters;

  public HeldPartitions(Clock clock, MeterRegistry meters) {
    this.clock = clock;
    this.meters = meters;
    for (FailureKind kind : FailureKind.values()) {
      Gauge.builder("gridrun.consumer.partitions.held", held, map -> count(map, kind))
          .description("partitions whose consumer is retrying a message")
          .tag("kind", kind.name().toLowerCase())
          .register(meters);
    }
  }

  private static double count(Map<TopicPartition, Held> map, FailureKind kind) {
    return map.values().stream().filter(h -> h.kind() == kind).count();
  }

  /** Every held partition, longest held first. */
  public List<Held> all() {
    return held.values().stream().sorted(java.util.Comparator.comparing(Held::since)).toList();
  }

  @Override
  public void failedDelivery(ConsumerRecord<?, ?> record, Exception ex, int deliveryAttempt) {
    FailureKind kind = FailureKind.of(ex);
    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
    Held before = held.get(tp);
    Instant since =
        before != null && before.offset() == record.offset() ? before.since() : clock.instant();
    held.put(
        tp,
        new Held(
            record.topic(),
            record.partition(),
            record.offset(),
            kind,
            since,
            deliveryAttempt,
            describe(ex)));
    Counter.builder("gridrun.consumer.retries")
        .tag("kind", kind.name().toLowerCase())
        .register(meters)
        .increment();
  }

  @Override
  public void failedDelivery(ConsumerRecords<?, ?> records, Exception ex, int deliveryAttempt) {
    records.forEach(record -> failedDelivery(record, ex, deliveryAttempt));
  }

  @Override
  public void recovered(ConsumerRecord<?, ?> record, Exception ex) {
    held.remove(new TopicPartition(record.topic(), record.partition()));
    Counter.builder("gridrun.consumer.dead.letters")
        .tag("topic", record.topic())
        .register(meters)
        .increment();
  }

  @Override
  public ConsumerRecord<Object, Object> intercept(
      ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    return record;
  }

  @Override
  public void success(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
    held.remove(new TopicPartition(record.topic(), record.partition()));
  }

  @Override
  public ConsumerRecords<Object, Object> intercept(
      ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
    return records;
  }

  @Override
  public void success(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
    records.partitions().forEach(held::remove);
  }

  /** The failure's innermost cause, by class and message: never the event's content. */
  private static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}

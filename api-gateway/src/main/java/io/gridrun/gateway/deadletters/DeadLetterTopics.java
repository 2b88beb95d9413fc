package io.gridrun.gateway.deadletters;

import io.gridrun.common.event.Topics;
import io.gridrun.platform.messaging.TopicReaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.stereotype.Component;

/**
 * Reads the dead-letter topics ({@code <topic>-dlt}) from their start with a consumer of Boot's
 * consumer factory that joins no group (so reading commits nothing and moves nobody's offsets), and
 * replays a parked message to the topic it came from, under its key.
 */
@Component
class DeadLetterTopics {

  /** The topics whose dead letters can be listed and replayed. */
  static final List<String> SOURCES =
      List.of(Topics.JOBS, Topics.SNAPSHOTS, Topics.RUNS, Topics.EXECUTION, Topics.CONTROL);

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ConsumerFactory<String, String> consumers;
  private final KafkaTemplate<String, String> template;

  DeadLetterTopics(
      ConsumerFactory<String, String> consumers, KafkaTemplate<String, String> template) {
    this.consumers = consumers;
    this.template = template;
  }

  /**
   * Every dead letter of {@code source} (or of every topic when null), oldest first per partition.
   */
  List<DeadLetter> list(String source, int limit) {
    List<DeadLetter> letters = new ArrayList<>();
    for (String topic : source == null ? SOURCES : List.of(source)) {
      try (Consumer<String, String> consumer = consumer()) {
        List<TopicPartition> partitions = partitions(consumer, Topics.deadLetterOf(topic));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!reached(consumer, ends) && letters.size() < limit && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            if (letters.size() < limit) {
              letters.add(toLetter(topic, record));
            }
          }
        }
      }
    }
    return letters;
  }

  /** The dead letter at that place, if there is one. */
  Optional<DeadLetter> find(String source, int partition, long offset) {
    try (Consumer<String, String> consumer = consumer()) {
      TopicPartition place = new TopicPartition(Topics.deadLetterOf(source), partition);
      if (partitions(consumer, place.topic()).stream().noneMatch(place::equals)) {
        return Optional.empty();
      }
      consumer.assign(List.of(place));
      long end = consumer.endOffsets(List.of(place), TIMEOUT).get(place);
      if (offset < 0 || offset >= end) {
        return Optional.empty();
      }
      consumer.seek(place, offset);
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (System.nanoTime() < deadline && consumer.position(place) <= offset) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() == offset) {
            return Optional.of(toLetter(source, record));
          }
        }
      }
      return Optional.empty();
    }
  }

  /** Publishes the parked message again to its own topic, under its key; waits for the broker. */
  void replay(DeadLetter letter) throws Exception {
    template
        .send(letter.topic(), letter.key(), letter.value())
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private Consumer<String, String> consumer() {
    return TopicReaders.create(consumers, "dead-letters");
  }

  private static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
    return infos == null
        ? List.of()
        : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
  }

  private static boolean reached(Consumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static DeadLetter toLetter(String source, ConsumerRecord<String, String> record) {
    String fqcn = header(record, KafkaHeaders.DLT_EXCEPTION_FQCN);
    String message = header(record, KafkaHeaders.DLT_EXCEPTION_MESSAGE);
    String error =
        fqcn == null
            ? null
            : fqcn.substring(fqcn.lastIndexOf('.') + 1) + (message == null ? "" : ": " + message);
    return new DeadLetter(
        source,
        record.partition(),
        record.offset(),
        record.key(),
        Instant.ofEpochMilli(record.timestamp()),
        error,
        record.value());
  }

  private static String header(ConsumerRecord<?, ?> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}

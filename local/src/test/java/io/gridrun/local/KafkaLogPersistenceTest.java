package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack's broker keeps its log under {@code $GRIDRUN_HOME/kafka}: records and committed
 * offsets written before a stop are there after the next start, in the same cluster (same id).
 */
class KafkaLogPersistenceTest {

  @TempDir Path home;

  @Test
  void recordsAndCommittedOffsetsSurviveARestartOnTheSameLog() throws Exception {
    Path log = home.resolve("kafka");
    String clusterId;
    try (LoopbackKafkaBroker broker = LoopbackKafkaBroker.start(log, 1, Map.of())) {
      clusterId = LoopbackKafkaBroker.clusterId(log).orElseThrow();
      try (var producer = producer(broker)) {
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>("kept", "k", "record-" + i)).get();
        }
      }
      try (var consumer = consumer(broker)) {
        consumer.subscribe(List.of("kept"));
        assertThat(read(consumer, 1)).first().isEqualTo("record-0");
        consumer.commitSync(); // one record read (max.poll.records 1): offset 1 committed
      }
    }

    try (LoopbackKafkaBroker broker = LoopbackKafkaBroker.start(log, 1, Map.of())) {
      assertThat(LoopbackKafkaBroker.clusterId(log)).contains(clusterId);
      try (var consumer = consumer(broker)) {
        consumer.subscribe(List.of("kept"));
        // the group resumes after its committed offset: the first record was consumed before
        assertThat(read(consumer, 2)).containsExactly("record-1", "record-2");
      }
    }
  }

  private static List<String> read(KafkaConsumer<String, String> consumer, int count) {
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (values.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
        values.add(record.value());
      }
    }
    return values;
  }

  private static KafkaProducer<String, String> producer(LoopbackKafkaBroker broker) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            StringSerializer.class));
  }

  private static KafkaConsumer<String, String> consumer(LoopbackKafkaBroker broker) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers(),
            ConsumerConfig.GROUP_ID_CONFIG,
            "kept-group",
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            1,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
            StringDeserializer.class));
  }
}

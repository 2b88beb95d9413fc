package io.gridrun.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The benchmarks' plain Kafka clients: what is on a topic (record counts, a record's size) and the
 * baseline of a plain producer on the same broker.
 */
final class BenchKafka {

  private BenchKafka() {}

  private static Properties clientProps(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  static long awaitRecords(String bootstrap, String topic, long expected, Duration timeout)
      throws InterruptedException {
    Properties props = clientProps(bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      Instant deadline = Instant.now().plus(timeout);
      long total = 0;
      while (Instant.now().isBefore(deadline)) {
        total = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        if (total >= expected) {
          return total;
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException("only " + total + " of " + expected + " records on " + topic);
    }
  }

  static int sampleRecordSize(String bootstrap, String topic) {
    Properties props = clientProps(bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      for (int i = 0; i < 50; i++) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          return record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
      }
    }
    throw new IllegalStateException("no record on " + topic);
  }

  /** Events/s of a plain producer sending {@code count} records of {@code size} bytes. */
  static double plainProducerRate(String bootstrap, long count, int size) throws Exception {
    String topic = "bench.baseline";
    int partitions = 6;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    Properties props = clientProps(bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    String payload = "x".repeat(size);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      // A new topic's partitions get their leaders on the broker a moment after it is created;
      // records sent before then fail, are retried, and with idempotence can end in a storm of
      // out-of-order-sequence errors that has nothing to do with the producer's speed. One record
      // per partition, each acknowledged, before the clock starts.
      warmUp(producer, topic, partitions);
      Instant start = Instant.now();
      for (long i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "run-" + i, payload));
      }
      producer.flush();
      double seconds = Math.max(0.001, Duration.between(start, Instant.now()).toMillis() / 1000.0);
      return count / seconds;
    }
  }

  private static void warmUp(KafkaProducer<String, String> producer, String topic, int partitions)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    for (int partition = 0; partition < partitions; partition++) {
      while (true) {
        try {
          producer.send(new ProducerRecord<>(topic, partition, "warm-up", "")).get();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("partition " + partition + " of " + topic, e);
          }
          Thread.sleep(100);
        }
      }
    }
  }
}

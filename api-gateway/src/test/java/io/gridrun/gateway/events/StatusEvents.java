package io.gridrun.gateway.events;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.common.status.StatusEvent;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;

/** Run status events written to a test's broker, as job-service writes them. */
final class StatusEvents {

  private StatusEvents() {}

  /**
   * {@code n} run events of the job ({@code <job>-r0} …), keyed by the job so they share a
   * partition and keep their order, each carrying {@code padding} as its reason; flushed.
   */
  static void publish(EmbeddedKafkaBroker broker, String jobId, int n, String padding) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
      for (int i = 0; i < n; i++) {
        StatusEvent event =
            new StatusEvent(
                StatusEvent.RUN,
                1,
                jobId,
                jobId + "-r" + i,
                null,
                0,
                "STARTED",
                "PENDING",
                Instant.now(),
                padding,
                jobId + "-e" + i);
        producer.send(
            new ProducerRecord<>(
                Topics.STATUS, jobId, EventCodec.mapper().writeValueAsString(event)));
      }
      producer.flush();
    }
  }
}

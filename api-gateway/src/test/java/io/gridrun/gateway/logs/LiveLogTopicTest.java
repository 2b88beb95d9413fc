package io.gridrun.gateway.logs;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.gateway.GatewayIntegrationTest;
import io.gridrun.storage.logs.LiveLogRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import reactor.core.publisher.BaseSubscriber;

@GatewayIntegrationTest
class LiveLogTopicTest extends GatewayIntegrationTest.WithMongo {

  @Autowired ConsumerFactory<String, String> consumers;

  /** This context's broker (the system property names the broker started last, maybe another's). */
  @Autowired EmbeddedKafkaBroker broker;

  /**
   * A followed step's lines keep coming while the step runs, however many: the reader's loop runs
   * on a worker of its own until the step's log is stored, so demand asked for from another thread
   * (the HTTP connection's) must reach it directly; scheduled onto that busy worker it waited for
   * the step's end, and the lines after the first demand with it.
   */
  @Test
  void aFollowedStepsLinesArriveWhileItRunsWhenTheReaderAsksForMoreFromAnotherThread() {
    String run = "run-live-" + System.nanoTime();
    try (KafkaProducer<String, String> producer = producer()) {
      long offset = 0;
      for (int i = 0; i < 600; i++) {
        String line = "line " + i + "\n";
        send(producer, run, LiveLogRecord.lines(run, "s", 1, offset, line));
        offset += line.getBytes(StandardCharsets.UTF_8).length;
      }
      producer.flush();

      AtomicInteger received = new AtomicInteger();
      BaseSubscriber<byte[]> reader =
          new BaseSubscriber<>() {
            @Override
            protected void hookOnSubscribe(Subscription subscription) {
              // asks for nothing yet: every request below comes from the test's thread
            }

            @Override
            protected void hookOnNext(byte[] lines) {
              received.incrementAndGet();
            }
          };
      new LiveLogTopic(consumers).follow(run, "s").subscribe(reader);
      try {
        reader.request(1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == 1);
        reader.request(599);
        // the step has not ended: no stored marker was written
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == 600);
      } finally {
        reader.dispose();
      }
    }
  }

  private KafkaProducer<String, String> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
  }

  private static void send(KafkaProducer<String, String> producer, String run, LiveLogRecord line) {
    producer.send(
        new ProducerRecord<>(Topics.LOGS, run, EventCodec.mapper().writeValueAsString(line)));
  }
}

package io.gridrun.platform.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.event.UndecodableEventException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import reactor.core.publisher.Mono;

/**
 * A consumer whose database goes away for longer than the old 12 s retry window: the message is not
 * dead-lettered, the partition is held (the next message of the same key waits behind it), the
 * health shows it, and once the database is back both are applied in order. Poison still goes to
 * the dead-letter topic at once.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "spring.kafka.consumer.auto-offset-reset=earliest",
      "gridrun.kafka.partitions=1",
      "gridrun.kafka.retry.max-interval=2s",
      "spring.autoconfigure.exclude="
          + "org.springframework.boot.mongodb.autoconfigure.MongoAutoConfiguration,"
          + "org.springframework.boot.mongodb.autoconfigure.MongoReactiveAutoConfiguration"
    })
@EmbeddedKafka(
    partitions = 1,
    topics = {ConsumerOutageTest.TOPIC, ConsumerOutageTest.TOPIC + "-dlt"})
class ConsumerOutageTest {

  static final String TOPIC = "platform-outage-test";

  private static final MongoServer[] MONGO = {new MongoServer(new MemoryBackend())};
  private static final InetSocketAddress ADDRESS = MONGO[0].bind();
  private static final MongoClient CLIENT =
      MongoClients.create(
          MongoClientSettings.builder()
              .applyConnectionString(
                  new ConnectionString(
                      "mongodb://127.0.0.1:"
                          + ADDRESS.getPort()
                          + "/?serverSelectionTimeoutMS=1000"
                          + "&connectTimeoutMS=1000&socketTimeoutMS=2000"))
              .build());

  static final List<String> applied = new CopyOnWriteArrayList<>();

  @Autowired KafkaTemplate<String, String> template;
  @Autowired ConsumersHealthIndicator health;
  @Autowired EmbeddedKafkaBroker broker;

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    @Bean
    Listener listener() {
      return new Listener();
    }
  }

  static class Listener {
    @KafkaListener(id = "outage-test", topics = TOPIC, groupId = "outage-test")
    void on(String value) {
      if (value.startsWith("poison")) {
        throw new UndecodableEventException("not an event: " + value);
      }
      Mono.from(
              CLIENT
                  .getDatabase("test")
                  .getCollection("applied")
                  .insertOne(new Document("_id", value)))
          .block(Duration.ofSeconds(10));
      applied.add(value);
    }
  }

  @AfterAll
  static void stop() {
    CLIENT.close();
    MONGO[0].shutdownNow();
  }

  @Test
  void anOutageLongerThanTheOldRetryWindowIsWaitedOutInOrderAndOnlyPoisonIsDeadLettered()
      throws Exception {
    send("before");
    await().atMost(Duration.ofSeconds(60)).until(() -> applied.contains("before"));

    MONGO[0].shutdownNow();
    send("first");
    send("second");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> health.health().getStatus().equals(Status.DOWN));
    // well past the old window of about 12 s: nothing applied, nothing parked, the partition held
    await()
        .during(Duration.ofSeconds(15))
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !applied.contains("first")
                    && !applied.contains("second")
                    && health.health().getStatus().equals(Status.DOWN));

    MONGO[0] = new MongoServer(new MemoryBackend());
    MONGO[0].bind(ADDRESS.getHostString(), ADDRESS.getPort());
    await().atMost(Duration.ofSeconds(60)).until(() -> applied.contains("second"));
    assertThat(applied).containsExactly("before", "first", "second");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> health.health().getStatus().equals(Status.UP));

    send("poison-1");
    send("after");
    await().atMost(Duration.ofSeconds(30)).until(() -> applied.contains("after"));
    assertThat(deadLetters()).containsExactly("poison-1");
  }

  private void send(String value) throws Exception {
    template.send(TOPIC, "job-1", value).get(10, TimeUnit.SECONDS);
  }

  private List<String> deadLetters() {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "outage-test-dlt",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC + "-dlt"));
      List<String> values = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                  values.add(r.value());
                }
                return !values.isEmpty();
              });
      return values;
    }
  }
}

package io.gridrun.gateway.deadletters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.Topics;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Dead letters listed and replayed over HTTP, on a real broker. */
@GatewayIntegrationTest
class DeadLetterHttpTest extends GatewayIntegrationTest.WithMongo {

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> kafka;
  @Autowired EmbeddedKafkaBroker broker;

  private WebTestClient api(String bearer) {
    WebTestClient.Builder builder =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(60));
    return (bearer == null ? builder : builder.defaultHeader("Authorization", bearer)).build();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aParkedMessageIsListedWithItsErrorAndReplayedToItsTopicUnderItsKey() throws Exception {
    ProducerRecord<String, String> parked =
        new ProducerRecord<>(
            Topics.deadLetterOf(Topics.JOBS), 1, "j-dlt-test", "{\"type\":\"job.nonsense\"}");
    parked
        .headers()
        .add(
            KafkaHeaders.DLT_EXCEPTION_FQCN,
            "io.gridrun.common.event.UndecodableEventException".getBytes(StandardCharsets.UTF_8))
        .add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, "unknown type".getBytes(StandardCharsets.UTF_8));
    kafka.send(parked).get(30, TimeUnit.SECONDS);

    WebTestClient admin = api(GatewayIntegrationTest.ADMIN_BEARER);
    List<Map<String, Object>> items =
        (List<Map<String, Object>>)
            admin
                .get()
                .uri("/api/v1/dead-letters?topic=gridrun.jobs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("items");
    Map<String, Object> letter =
        items.stream().filter(i -> "j-dlt-test".equals(i.get("key"))).findFirst().orElseThrow();
    assertThat(letter)
        .containsEntry("topic", "gridrun.jobs")
        .containsEntry("partition", 1)
        .containsEntry("error", "UndecodableEventException: unknown type")
        .containsEntry("value", "{\"type\":\"job.nonsense\"}");

    admin
        .post()
        .uri("/api/v1/dead-letters/gridrun.jobs/1/" + letter.get("offset") + "/replay")
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.topic")
        .isEqualTo("gridrun.jobs")
        .jsonPath("$.key")
        .isEqualTo("j-dlt-test");
    assertThat(replayedOnJobsTopic()).contains("{\"type\":\"job.nonsense\"}");

    admin
        .post()
        .uri("/api/v1/dead-letters/gridrun.jobs/1/999999/replay")
        .exchange()
        .expectStatus()
        .isNotFound();
    admin.get().uri("/api/v1/dead-letters?topic=nope").exchange().expectStatus().isBadRequest();
    api(null).get().uri("/api/v1/dead-letters").exchange().expectStatus().isUnauthorized();
  }

  private List<String> replayedOnJobsTopic() {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-http-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(Topics.JOBS));
      List<String> values = new CopyOnWriteArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                  if ("j-dlt-test".equals(r.key())) {
                    values.add(r.value());
                  }
                }
                return !values.isEmpty();
              });
      return values;
    }
  }
}

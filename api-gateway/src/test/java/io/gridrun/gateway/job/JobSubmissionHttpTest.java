package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The job submission and preview contracts of the gateway over HTTP, on a real embedded broker,
 * with snapshot-service and job-service replaced by a small stub that knows one project.
 */
@GatewayIntegrationTest
class JobSubmissionHttpTest extends GatewayIntegrationTest.WithMongo {

  private static final String PIPELINE =
      """
      { "name": "train",
        "parameters": { "lr": 0.5 },
        "steps": [
          { "id": "prep", "file": "prep.sh", "environment": "busybox" },
          { "id": "train", "file": "train.sh", "environment": "busybox", "dependsOn": ["prep"],
            "parameters": { "epochs": 5 } } ] }
      """;

  /** A grid of 6: lr 0.1, 0.01 (slowest) × train.epochs 1, 2, 3. */
  private static final String GRID =
      "\"grid\": {\"pipeline\": {\"lr\": [0.1, 0.01]}, \"steps\": {\"train\": {\"epochs\": [1, 2, 3]}}}";

  private static final HttpServer SERVICES = startServices();

  @LocalServerPort int port;

  /** This context's broker (the system property names the broker started last, maybe another's). */
  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.kafka.test.EmbeddedKafkaBroker broker;

  private WebTestClient api;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("gridrun.gateway.snapshot-service-url", () -> url);
    registry.add("gridrun.gateway.job-service-url", () -> url);
  }

  /**
   * snapshot-service and job-service as far as job submission needs them: project {@code demo} with
   * {@code train.pipeline.json}, environment {@code busybox}, and every job visible.
   */
  private static HttpServer startServices() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/internal/projects/",
          exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if (path.equals("/internal/projects/demo/pipeline")
                && query.equals("path=train.pipeline.json")) {
              answer(exchange, 200, PIPELINE);
            } else {
              answer(
                  exchange, 404, "{\"status\": 404, \"detail\": \"unknown project or pipeline\"}");
            }
          });
      server.createContext(
          "/api/v1/environments/",
          exchange ->
              answer(
                  exchange,
                  exchange.getRequestURI().getPath().equals("/api/v1/environments/busybox")
                      ? 200
                      : 404,
                  "{}"));
      server.createContext("/api/v1/jobs/", exchange -> answer(exchange, 200, "{}"));
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @BeforeEach
  void client() {
    api =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("Authorization", io.gridrun.gateway.GatewayIntegrationTest.ADMIN_BEARER)
            .responseTimeout(Duration.ofSeconds(20))
            .build();
  }

  private static String job(String name, String more) {
    return "{\"name\": \""
        + name
        + "\", \"project\": \"demo\", \"pipeline\": \"train.pipeline.json\""
        + (more.isEmpty() ? "" : ", " + more)
        + "}";
  }

  /** An answer of the gateway: status, JSON body, {@code Location}. */
  private record Answer(int status, Map<String, Object> body, URI location) {}

  @SuppressWarnings("unchecked")
  private Answer post(String path, String body) {
    EntityExchangeResult<Map> result =
        api.post()
            .uri(path)
            .header("Content-Type", "application/json")
            .bodyValue(body)
            .exchange()
            .expectBody(Map.class)
            .returnResult();
    return new Answer(
        result.getStatus().value(),
        (Map<String, Object>) result.getResponseBody(),
        result.getResponseHeaders().getLocation());
  }

  @Test
  void aSubmittedJobIsAcceptedWithALocationNamingTheIdInTheBody() {
    Map<TopicPartition, Long> before = endOffsets();

    Answer created = post("/api/v1/jobs", job("located", GRID));

    assertThat(created.status()).isEqualTo(202);
    String id = (String) created.body().get("id");
    assertThat(id).startsWith("j-");
    assertThat(created.body()).containsEntry("status", "PENDING");
    assertThat(created.location()).hasToString("/api/v1/jobs/" + id);
    List<Map<String, Object>> published = jobEventsSince(before, 1);
    assertThat(published).hasSize(1);
    assertThat(published.get(0))
        .containsEntry("type", "job.created")
        .containsEntry("jobId", id)
        .containsEntry("name", "located");
  }

  @Test
  void aPreviewListsTheRunsWithTheirIndicesHonouringExcludeRunsAndInclude() {
    // grid indices: 0 (0.1,1) 1 (0.1,2) 2 (0.1,3) 3 (0.01,1) 4 (0.01,2) 5 (0.01,3);
    // runs keeps 0, 1, 3, 4; exclude drops 1; include appends lr 1 over the defaults (epochs 5)
    String request =
        job(
            "previewed",
            GRID
                + ", \"runs\": [0, 1, 3, 4]"
                + ", \"exclude\": [{\"pipeline\": {\"lr\": 0.1}, \"steps\": {\"train\": {\"epochs\": 2}}}]"
                + ", \"include\": [{\"pipeline\": {\"lr\": 1}}]");

    Answer preview = post("/api/v1/jobs:preview", request);

    assertThat(preview.status()).isEqualTo(200);
    Map<String, Object> body = preview.body();
    assertThat(body)
        .containsEntry("total", 4)
        .containsEntry("gridSize", 6)
        .containsEntry("page", 0)
        .containsEntry("size", 50);
    List<Map<String, Object>> items = items(body);
    assertThat(items).extracting(i -> i.get("index")).containsExactly(0, 1, 2, 3);
    assertThat(items).extracting(i -> i.get("gridIndex")).containsExactly(0, 3, 4, null);
    assertThat(items)
        .extracting(i -> pipelineParameters(i).get("lr"))
        .containsExactly(0.1, 0.01, 0.01, 1);
    assertThat(items).extracting(i -> epochs(i)).containsExactly(1, 1, 2, 5);

    // a later page goes on with the same indices
    List<Map<String, Object>> second =
        items(post("/api/v1/jobs:preview?page=1&size=3", request).body());
    assertThat(second).extracting(i -> i.get("index")).containsExactly(3);
    assertThat(second).extracting(i -> i.get("gridIndex")).containsExactly((Object) null);
  }

  @Test
  void thePreviewAlsoAnswersAtTheSlashPathWithTheSameRuns() {
    String request = job("slash", GRID + ", \"runs\": [5, 2]");

    Map<String, Object> colon = post("/api/v1/jobs:preview", request).body();
    Answer slash = post("/api/v1/jobs/preview", request);

    assertThat(slash.status()).isEqualTo(200);
    assertThat(slash.body()).isEqualTo(colon);
    assertThat(items(slash.body())).extracting(i -> i.get("gridIndex")).containsExactly(2, 5);
  }

  @Test
  void aPreviewCreatesNoJobAndPublishesNothing() {
    Map<TopicPartition, Long> before = endOffsets();

    assertThat(post("/api/v1/jobs:preview", job("only-looking", GRID)).status()).isEqualTo(200);
    assertThat(post("/api/v1/jobs/preview", job("only-looking", GRID)).status()).isEqualTo(200);
    // a submission after the previews: the only event on the jobs topic since `before` is its own
    String marker = (String) post("/api/v1/jobs", job("marker", "")).body().get("id");

    List<Map<String, Object>> published = jobEventsSince(before, 1);
    assertThat(published).extracting(e -> e.get("jobId")).containsExactly(marker);
  }

  @Test
  void aBadPreviewRequestIsABadRequestProblemAndPublishesNothing() {
    Map<TopicPartition, Long> before = endOffsets();

    api.post()
        .uri("/api/v1/jobs:preview")
        .header("Content-Type", "application/json")
        .bodyValue("{\"name\": \"x\", \"project\": \"demo\"}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.errors")
        .isNotEmpty();
    api.post()
        .uri("/api/v1/jobs/preview")
        .header("Content-Type", "application/json")
        .bodyValue(job("x", "\"grid\": {\"pipeline\": {\"lr\": 0.1}}"))
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .value(d -> assertThat(d.toString()).contains("grid.pipeline.lr must be a list"));
    api.post()
        .uri("/api/v1/jobs:preview")
        .header("Content-Type", "application/json")
        .bodyValue("{\"name\": \"x\", \"project\": \"nope\", \"pipeline\": \"p.pipeline.json\"}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("unknown project or pipeline");
    api.post()
        .uri("/api/v1/jobs:preview")
        .header("Content-Type", "application/json")
        .bodyValue("{\"name\": ")
        .exchange()
        .expectStatus()
        .isBadRequest();
    api.post()
        .uri("/api/v1/jobs:preview?size=0")
        .header("Content-Type", "application/json")
        .bodyValue(job("x", GRID))
        .exchange()
        .expectStatus()
        .isBadRequest();

    String marker = (String) post("/api/v1/jobs", job("marker", "")).body().get("id");
    assertThat(jobEventsSince(before, 1)).extracting(e -> e.get("jobId")).containsExactly(marker);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> pipelineParameters(Map<String, Object> item) {
    return (Map<String, Object>) ((Map<String, Object>) item.get("parameters")).get("pipeline");
  }

  @SuppressWarnings("unchecked")
  private static Object epochs(Map<String, Object> item) {
    Map<String, Object> steps =
        (Map<String, Object>) ((Map<String, Object>) item.get("parameters")).get("steps");
    return ((Map<String, Object>) steps.get("train")).get("epochs");
  }

  private KafkaConsumer<String, String> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    return new KafkaConsumer<>(props);
  }

  /** The end offset of every partition of the jobs topic. */
  private Map<TopicPartition, Long> endOffsets() {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.JOBS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      return consumer.endOffsets(partitions);
    }
  }

  /**
   * The events on the jobs topic after {@code before}, read until the topic's current end once at
   * least {@code atLeast} arrived.
   */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> jobEventsSince(Map<TopicPartition, Long> before, int atLeast) {
    try (KafkaConsumer<String, String> consumer = consumer()) {
      consumer.assign(before.keySet());
      before.forEach(consumer::seek);
      List<Map<String, Object>> events = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                Map<TopicPartition, Long> end = consumer.endOffsets(before.keySet());
                while (before.keySet().stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                  for (ConsumerRecord<String, String> record :
                      consumer.poll(Duration.ofMillis(200))) {
                    events.add(EventCodec.mapper().readValue(record.value(), Map.class));
                  }
                }
                return events.size() >= atLeast;
              });
      return events;
    }
  }
}

package io.gridrun.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.common.status.StatusEvent;
import io.gridrun.gateway.GatewayApplication;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A delivery that was still being retried when its gateway stopped is finished by the next. */
class WebhookRestartTest {

  private static final String TOKEN = "test-admin-token";

  private EmbeddedKafkaKraftBroker kafka;
  private MongoServer mongo;
  private HttpServer receiver;
  private final AtomicBoolean receiverHealthy = new AtomicBoolean(false);
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    kafka = new EmbeddedKafkaKraftBroker(1, 3);
    kafka.afterPropertiesSet();
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hook",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          if (receiverHealthy.get()) {
            received.add(body);
            exchange.sendResponseHeaders(204, -1);
          } else {
            exchange.sendResponseHeaders(503, -1);
          }
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    mongo.shutdownNow();
    kafka.destroy();
  }

  private ConfigurableApplicationContext gateway() {
    var application = GatewayApplication.application();
    Map<String, String> properties =
        Map.ofEntries(
            Map.entry("spring.config.name", GatewayApplication.CONFIG_NAME),
            Map.entry("server.port", "0"),
            Map.entry("spring.main.banner-mode", "off"),
            Map.entry("spring.kafka.bootstrap-servers", kafka.getBrokersAsString()),
            Map.entry(
                "spring.mongodb.uri",
                "mongodb://127.0.0.1:"
                    + mongo.getLocalAddress().getPort()
                    + "/gridrun-gateway?serverSelectionTimeoutMS=2000&connectTimeoutMS=2000"),
            Map.entry("gridrun.kafka.partitions", "3"),
            Map.entry("gridrun.storage.logs", System.getProperty("java.io.tmpdir") + "/gw-logs"),
            Map.entry("gridrun.webhooks.allowed-hosts", "127.0.0.1"),
            Map.entry("gridrun.security.admin-token", TOKEN),
            // the next try would be long after the gateway stopped
            Map.entry("gridrun.gateway.webhooks.initial-backoff", "10m"),
            Map.entry("gridrun.gateway.webhooks.retry-for", "1h"));
    // arguments, as they win over api-gateway.yml
    return application.run(
        properties.entrySet().stream()
            .map(e -> "--" + e.getKey() + "=" + e.getValue())
            .toArray(String[]::new));
  }

  private static WebTestClient api(ConfigurableApplicationContext gateway) {
    return WebTestClient.bindToServer()
        .baseUrl("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"))
        .responseTimeout(Duration.ofSeconds(20))
        .defaultHeader("Authorization", "Bearer " + TOKEN)
        .build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> delivery(WebTestClient api, String webhookId) {
    List<Map<String, Object>> items =
        (List<Map<String, Object>>)
            api.get()
                .uri("/api/v1/webhooks/" + webhookId + "/deliveries")
                .exchange()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("items");
    return items.isEmpty() ? Map.of() : items.get(0);
  }

  @Test
  void aPendingDeliveryIsResumedByTheNextGatewayAfterARestart() throws Exception {
    String webhookId;
    try (ConfigurableApplicationContext first = gateway()) {
      WebTestClient api = api(first);
      webhookId =
          api.post()
              .uri("/api/v1/webhooks")
              .header("Content-Type", "application/json")
              .bodyValue(
                  "{\"url\":\"http://127.0.0.1:"
                      + receiver.getAddress().getPort()
                      + "/hook\",\"events\":[\"job.failed\"],\"secret\":\"s3cret\"}")
              .exchange()
              .expectStatus()
              .isCreated()
              .expectBody(Map.class)
              .returnResult()
              .getResponseBody()
              .get("id")
              .toString();
      // the dispatcher reads from the latest offset: wait until it holds its partitions
      org.springframework.kafka.test.utils.ContainerTestUtils.waitForAssignment(
          first
              .getBean(org.springframework.kafka.config.KafkaListenerEndpointRegistry.class)
              .getListenerContainer("webhooks"),
          3);
      publish("job-restart", "ev-restart");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> Integer.valueOf(1).equals(delivery(api, webhookId).get("attempts")));
      assertThat(delivery(api, webhookId))
          .containsEntry("outcome", "PENDING")
          .containsEntry("statusCode", 503)
          .containsEntry("lastError", "receiver answered 503");
    }
    receiverHealthy.set(true);

    try (ConfigurableApplicationContext second = gateway()) {
      WebTestClient api = api(second);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> "DELIVERED".equals(delivery(api, webhookId).get("outcome")));
      assertThat(delivery(api, webhookId))
          .containsEntry("attempts", 2)
          .containsEntry("statusCode", 204);
      assertThat(received).singleElement().asString().contains("\"eventId\":\"ev-restart\"");
    }
  }

  /**
   * The delivery record is written before the status event's offset is committed: an event read
   * while the database is down (longer than the old 12 s retry window) is held, not lost or
   * dead-lettered, and delivered once the database is back.
   */
  @Test
  void aStatusEventReadWhileTheDatabaseIsDownIsDeliveredOnceItIsBack() throws Exception {
    receiverHealthy.set(true);
    // a backend that outlives its server, so that the database comes back with its data
    MemoryBackend backend =
        new MemoryBackend() {
          @Override
          public void close() {}
        };
    mongo.shutdownNow();
    mongo = new MongoServer(backend);
    mongo.bind("127.0.0.1", 0);
    int port = mongo.getLocalAddress().getPort();
    try (ConfigurableApplicationContext gateway = gateway()) {
      WebTestClient api = api(gateway);
      String webhookId = register(api);
      org.springframework.kafka.test.utils.ContainerTestUtils.waitForAssignment(
          gateway
              .getBean(org.springframework.kafka.config.KafkaListenerEndpointRegistry.class)
              .getListenerContainer("webhooks"),
          3);
      mongo.shutdownNow();
      publish("job-outage", "ev-outage");
      var health = gateway.getBean(io.gridrun.platform.messaging.HeldPartitions.class);
      await().atMost(Duration.ofSeconds(90)).until(() -> !health.all().isEmpty());
      await()
          .during(Duration.ofSeconds(15))
          .atMost(Duration.ofSeconds(20))
          .until(() -> received.isEmpty() && !health.all().isEmpty());

      mongo = new MongoServer(backend);
      mongo.bind("127.0.0.1", port);
      await().atMost(Duration.ofSeconds(120)).until(() -> !received.isEmpty());
      assertThat(received).singleElement().asString().contains("\"eventId\":\"ev-outage\"");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> "DELIVERED".equals(delivery(api, webhookId).get("outcome")));
      await().atMost(Duration.ofSeconds(30)).until(() -> health.all().isEmpty());
    }
  }

  private String register(WebTestClient api) {
    return api.post()
        .uri("/api/v1/webhooks")
        .header("Content-Type", "application/json")
        .bodyValue(
            "{\"url\":\"http://127.0.0.1:"
                + receiver.getAddress().getPort()
                + "/hook\",\"events\":[\"job.failed\"],\"secret\":\"s3cret\"}")
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody()
        .get("id")
        .toString();
  }

  private void publish(String jobId, String eventId) {
    StatusEvent event =
        new StatusEvent(
            StatusEvent.JOB,
            1,
            jobId,
            null,
            null,
            null,
            "FAILURE",
            "STARTED",
            Instant.now(),
            null,
            eventId);
    Properties config = new Properties();
    config.put("bootstrap.servers", kafka.getBrokersAsString());
    config.put("key.serializer", StringSerializer.class.getName());
    config.put("value.serializer", StringSerializer.class.getName());
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.send(
          new ProducerRecord<>(
              Topics.STATUS, jobId, EventCodec.mapper().writeValueAsString(event)));
    }
  }
}

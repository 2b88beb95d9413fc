package io.gridrun.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.common.status.StatusEvent;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.web.reactive.server.WebTestClient;

@GatewayIntegrationTest
class WebhookTest extends GatewayIntegrationTest.WithMongo {

  @LocalServerPort int port;
  @Autowired KafkaTemplate<String, String> kafka;

  private HttpServer receiver;
  private final List<Map<String, String>> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger flakyCalls = new AtomicInteger();
  private WebTestClient api;

  @BeforeEach
  void startReceiver() throws IOException {
    api =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("Authorization", io.gridrun.gateway.GatewayIntegrationTest.ADMIN_BEARER)
            .responseTimeout(Duration.ofSeconds(20))
            .defaultHeader("Authorization", "Bearer " + GatewayIntegrationTest.TOKEN)
            .build();
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    receiver.createContext(
        "/ok",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              Map.of(
                  "body",
                  body,
                  "signature",
                  String.valueOf(exchange.getRequestHeaders().getFirst("X-Gridrun-Signature")),
                  "timestamp",
                  String.valueOf(exchange.getRequestHeaders().getFirst("X-Gridrun-Timestamp")),
                  "at",
                  Instant.now().toString()));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.createContext(
        "/flaky",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(flakyCalls.incrementAndGet() < 3 ? 500 : 200, -1);
          exchange.close();
        });
    receiver.createContext(
        "/hang",
        exchange -> {
          try {
            Thread.sleep(30_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    receiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.stop(0);
  }

  private String url(String path) {
    return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
  }

  private String register(String path, String events) {
    return api.post()
        .uri("/api/v1/webhooks")
        .header("Content-Type", "application/json")
        .bodyValue(
            "{\"url\":\"" + url(path) + "\",\"events\":" + events + ",\"secret\":\"s3cret\"}")
        .exchange()
        .expectStatus()
        .isCreated()
        .expectBody(Map.class)
        .returnResult()
        .getResponseBody()
        .get("id")
        .toString();
  }

  private void publish(String jobId, String type, String status, String eventId) {
    StatusEvent event =
        new StatusEvent(
            type, 1, jobId, null, null, null, status, "STARTED", Instant.now(), null, eventId);
    kafka.send(Topics.STATUS, jobId, EventCodec.mapper().writeValueAsString(event));
  }

  @Test
  void deliversSignedEventsRetriesFailuresAndIsNotHeldUpByAHangingReceiver() throws Exception {
    String hanging = register("/hang", "[\"job.failed\"]");
    String ok = register("/ok", "[\"job.failed\", \"job.succeeded\"]");
    String flaky = register("/flaky", "[\"job.failed\"]");
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // listener assigned

    publish("job-1", StatusEvent.JOB, "FAILURE", "ev-1");
    publish("job-2", StatusEvent.JOB, "PAUSED", "ev-2");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    Map<String, String> delivery = received.get(0);
    assertThat(delivery.get("body"))
        .contains("\"jobId\":\"job-1\"")
        .contains("\"status\":\"FAILURE\"");
    assertThat(delivery.get("signature"))
        .isEqualTo(
            "sha256="
                + hmacSha256Hex("s3cret", delivery.get("timestamp") + "." + delivery.get("body")));

    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                api.get()
                    .uri("/api/v1/webhooks/" + flaky + "/deliveries")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.items[0].outcome")
                    .isEqualTo("DELIVERED")
                    .jsonPath("$.items[0].attempts")
                    .isEqualTo(3)
                    .jsonPath("$.items[0].statusCode")
                    .isEqualTo(200));
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                api.get()
                    .uri("/api/v1/webhooks/" + hanging + "/deliveries")
                    .exchange()
                    .expectBody()
                    .jsonPath("$.items[0].outcome")
                    .isEqualTo("FAILED")
                    .jsonPath("$.items[0].lastError")
                    .isEqualTo("no answer within the timeout"));
    api.get()
        .uri("/api/v1/webhooks/" + ok + "/deliveries")
        .exchange()
        .expectBody()
        .jsonPath("$.total")
        .isEqualTo(1);
  }

  /** HMAC-SHA256 of the text under the secret, hex: computed here, not by gridrun's signer. */
  private static String hmacSha256Hex(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] digest = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
    StringBuilder hex = new StringBuilder();
    for (byte b : digest) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  @Test
  void theSignatureHeaderIsTheHmacSha256OfTheExactBodyUnderTheWebhooksSecret() throws Exception {
    register("/ok", "[\"run.succeeded\"]");
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // listener assigned

    publish("job-signed", StatusEvent.RUN, "SUCCESS", "ev-signed");

    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    String body = received.get(0).get("body");
    String timestamp = received.get(0).get("timestamp");
    assertThat(body).contains("\"eventId\":\"ev-signed\"");
    // the timestamp is the time of sending, in epoch seconds, and is part of what is signed
    assertThat(Long.parseLong(timestamp))
        .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 5);
    assertThat(received.get(0).get("signature"))
        .matches("sha256=[0-9a-f]{64}")
        .isEqualTo("sha256=" + hmacSha256Hex("s3cret", timestamp + "." + body))
        .isNotEqualTo("sha256=" + hmacSha256Hex("s3cret", body))
        .isNotEqualTo("sha256=" + hmacSha256Hex("s3cret", (timestamp + 1) + "." + body))
        .isNotEqualTo("sha256=" + hmacSha256Hex("another secret", timestamp + "." + body));
  }

  @Test
  void aWebhookPointingAtAClosedPortRecordsAFailedDeliveryWithoutHoldingUpOthers()
      throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String nowhere =
        api.post()
            .uri("/api/v1/webhooks")
            .header("Content-Type", "application/json")
            .bodyValue(
                "{\"url\":\"http://127.0.0.1:"
                    + closedPort
                    + "/hook\",\"events\":[\"*\"],\"secret\":\"s3cret\"}")
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody()
            .get("id")
            .toString();
    String live = register("/ok", "[\"*\"]");
    await().pollDelay(Duration.ofSeconds(2)).until(() -> true); // listener assigned

    publish("job-refused", StatusEvent.JOB, "FAILURE", "ev-refused-1");

    // the live receiver gets the event at once, and a later one too: neither the other
    // deliveries nor the dispatcher wait for the retries of the dead webhook
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    publish("job-refused", StatusEvent.RUN, "SUCCESS", "ev-refused-2");
    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 2);
    assertThat(received.get(1).get("body")).contains("ev-refused-2");

    // retried with backoff for retry-for (5 s here), then given up
    List<Map<String, Object>> failed =
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () -> deliveries(nowhere),
                d -> d.size() == 2 && d.stream().allMatch(x -> "FAILED".equals(x.get("outcome"))));
    assertThat(failed)
        .allSatisfy(
            d -> {
              assertThat(((Number) d.get("attempts")).intValue()).isGreaterThan(1);
              assertThat(d.get("statusCode")).isNull();
              // the kind of failure in gridrun's words, not the exception's text with the address
              assertThat(d.get("lastError")).isEqualTo("could not connect (connection refused)");
              // both live deliveries arrived before the dead webhook's last attempt
              Instant lastAttempt = Instant.parse(String.valueOf(d.get("lastAttemptAt")));
              assertThat(received)
                  .allSatisfy(r -> assertThat(Instant.parse(r.get("at"))).isBefore(lastAttempt));
            });
    assertThat(deliveries(live))
        .extracting(d -> d.get("outcome"))
        .containsExactly("DELIVERED", "DELIVERED");
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> deliveries(String webhookId) {
    return (List<Map<String, Object>>)
        api.get()
            .uri("/api/v1/webhooks/" + webhookId + "/deliveries")
            .exchange()
            .expectBody(Map.class)
            .returnResult()
            .getResponseBody()
            .get("items");
  }

  @Test
  void refusesUrlsThatAreNotHttpAndUnknownEvents() {
    api.post()
        .uri("/api/v1/webhooks")
        .header("Content-Type", "application/json")
        .bodyValue(
            "{\"url\":\"file:///etc/passwd\",\"events\":[\"job.exploded\"],\"secret\":\"x\"}")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType("application/problem+json")
        .expectBody()
        .jsonPath("$.detail")
        .value(
            d ->
                assertThat(d.toString())
                    .contains("url must use http or https")
                    .contains("event 'job.exploded' is not one of"));
  }

  @Test
  void aDeletedWebhookIsGone() {
    String id = register("/ok", "[\"*\"]");

    api.delete().uri("/api/v1/webhooks/" + id).exchange().expectStatus().isNoContent();
    api.get().uri("/api/v1/webhooks/" + id).exchange().expectStatus().isNotFound();
  }

  @Test
  void refusesWebhooksToInternalAddressesAtRegistration() {
    long before = webhookCount();
    for (String host :
        List.of(
            "127.0.0.2",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "224.0.0.1",
            "100.64.0.1",
            "[::1]",
            "[fe80::1]",
            "[fd00::1]",
            "[::ffff:169.254.169.254]")) {
      api.post()
          .uri("/api/v1/webhooks")
          .header("Content-Type", "application/json")
          .bodyValue("{\"url\":\"http://" + host + "/hook\",\"events\":[\"*\"],\"secret\":\"x\"}")
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType("application/problem+json")
          .expectBody()
          .jsonPath("$.detail")
          .value(d -> assertThat(d.toString()).as(host).contains("gridrun.webhooks.allowed-hosts"));
    }
    assertThat(webhookCount()).as("nothing was registered").isEqualTo(before);
  }

  private long webhookCount() {
    return ((Number)
            api.get()
                .uri("/api/v1/webhooks")
                .exchange()
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("total"))
        .longValue();
  }

  @Test
  void aNullOrNonObjectBodyIsABadRequest() {
    for (String body : List.of("null", "[]", "42", "\"url\"", "{\"url\": null}")) {
      api.post()
          .uri("/api/v1/webhooks")
          .header("Content-Type", "application/json")
          .bodyValue(body)
          .exchange()
          .expectStatus()
          .isBadRequest()
          .expectHeader()
          .contentType("application/problem+json");
    }
  }
}

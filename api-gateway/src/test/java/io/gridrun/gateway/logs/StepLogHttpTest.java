package io.gridrun.gateway.logs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.GatewayIntegrationTest;
import io.gridrun.storage.logs.LineTimes;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A step's log over HTTP: as the step wrote it, or with the time each line began. */
@GatewayIntegrationTest
class StepLogHttpTest extends GatewayIntegrationTest.WithMongo {

  /** job-service as far as the log route needs it: every run exists and has a step "train". */
  private static final HttpServer JOB_SERVICE = startJobService();

  @LocalServerPort int port;
  private WebTestClient http;

  private final StepLogStore logs =
      new StepLogStore(Path.of(System.getProperty("java.io.tmpdir"), "gridrun-gateway-test-logs"));
  private String runId;

  @DynamicPropertySource
  static void jobService(DynamicPropertyRegistry registry) {
    registry.add(
        "gridrun.gateway.job-service-url",
        () -> "http://127.0.0.1:" + JOB_SERVICE.getAddress().getPort());
  }

  private static HttpServer startJobService() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/api/v1/runs/",
          exchange -> {
            byte[] body =
                "{\"id\": \"r\", \"steps\": [{\"id\": \"train\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void aStepThatWroteTwoLinesTwoSecondsApart() throws IOException {
    http =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("Authorization", io.gridrun.gateway.GatewayIntegrationTest.ADMIN_BEARER)
            .responseTimeout(java.time.Duration.ofSeconds(20))
            .build();
    runId = "j-log-" + UUID.randomUUID().toString().substring(0, 8) + "-r0000000";
    try (OutputStream log = logs.create(runId, "train");
        Writer times =
            new OutputStreamWriter(logs.createTimes(runId, "train"), StandardCharsets.UTF_8)) {
      log.write("first\nsecond\n".getBytes(StandardCharsets.UTF_8));
      LineTimes.write(times, 0, Instant.parse("2026-11-29T08:00:00.250Z"));
      LineTimes.write(times, 6, Instant.parse("2026-11-29T08:00:02Z"));
    }
  }

  @Test
  void theLogIsTheStepsOutputAsItWroteIt() {
    assertThat(log("")).isEqualTo("first\nsecond\n");
  }

  @Test
  void withTimestampsEachLineStandsBehindTheTimeItBegan() {
    assertThat(log("?timestamps=true"))
        .isEqualTo("2026-11-29T08:00:00.250Z first\n2026-11-29T08:00:02Z second\n");
  }

  @Test
  void timestampsCannotBeFollowed() {
    http.get()
        .uri("/api/v1/runs/{run}/steps/train/logs?timestamps=true&follow=true", runId)
        .exchange()
        .expectStatus()
        .isBadRequest();
  }

  private String log(String query) {
    return http.get()
        .uri("/api/v1/runs/" + runId + "/steps/train/logs" + query)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}

package io.gridrun.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The UI's pages over HTTP, rendered from the gateway's own API, with job-service and
 * snapshot-service replaced by a stub that records what the API asked it.
 */
@GatewayIntegrationTest
class UiPagesHttpTest extends GatewayIntegrationTest.WithMongo {

  static final String JOB =
      """
      {"id": "j-1", "name": "<script>alert(1)</script>", "project": "demo",
       "pipeline": "train.pipeline.json", "status": "STARTED", "runCount": 6,
       "runCounts": {"PENDING": 2, "STARTED": 1, "SUCCESS": 2, "FAILURE": 1, "ABORTED": 0},
       "createdAt": "2026-11-30T09:00:00Z", "snapshotId": "s-j-1", "gridRuns": 6, "batches": 1}
      """;

  static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
  private static final HttpServer SERVICES = startServices();

  @LocalServerPort int port;
  private WebTestClient web;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("gridrun.gateway.snapshot-service-url", () -> url);
    registry.add("gridrun.gateway.job-service-url", () -> url);
  }

  private static HttpServer startServices() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/api/v1/jobs",
          exchange -> {
            REQUESTS.add(exchange.getRequestURI().toString());
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/api/v1/jobs")) {
              answer(
                  exchange,
                  200,
                  "{\"items\": [" + JOB + "], \"page\": 0, \"size\": 50, \"total\": 1}");
            } else if (path.equals("/api/v1/jobs/j-1")) {
              answer(exchange, 200, JOB);
            } else {
              answer(
                  exchange,
                  404,
                  "{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"no job j-2\"}");
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void answer(HttpExchange exchange, int status, String json) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @BeforeEach
  void client() {
    web =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(20))
            .build();
  }

  private String page(String path, int status) {
    return web.get()
        .uri(path)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  void theJobsPageListsTheApisJobsWithTheirNameEscaped() {
    String html = page("/jobs?q=alert&status=STARTED", 200);

    assertThat(html)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>alert(1)</script>")
        .contains("status-STARTED")
        .contains("2 SUCCESS, 1 FAILURE, 1 STARTED, 2 PENDING")
        .contains("Search jobs")
        .contains("+ New job");
    assertThat(REQUESTS).anyMatch(r -> r.contains("q=alert") && r.contains("status=STARTED"));
  }

  @Test
  void theRootIsTheJobsPage() {
    assertThat(page("/", 200)).contains("<h1>Jobs</h1>");
  }

  @Test
  void theLayoutsAssetsAreServed() {
    for (String asset :
        List.of(
            "/css/gridrun.css",
            "/js/gridrun.js",
            "/webjars/htmx.org/dist/htmx.min.js",
            "/webjars/htmx-ext-sse/sse.js",
            "/webjars/echarts/dist/echarts.min.js")) {
      web.get().uri(asset).exchange().expectStatus().isOk();
    }
  }
}

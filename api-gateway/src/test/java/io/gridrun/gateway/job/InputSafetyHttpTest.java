package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * Bad input answered 4xx without the gateway sending requests anywhere it should not: environment
 * names that are URLs, raw brackets in a job id.
 */
@GatewayIntegrationTest
class InputSafetyHttpTest extends GatewayIntegrationTest.WithMongo {

  /** Any request here is the gateway being led somewhere by a pipeline. */
  private static final List<String> ATTACKER_SAW = new CopyOnWriteArrayList<>();

  private static final HttpServer ATTACKER = start(ATTACKER_SAW, null);
  private static final List<String> SERVICES_SAW = new CopyOnWriteArrayList<>();
  private static final HttpServer SERVICES = start(SERVICES_SAW, ATTACKER);

  @LocalServerPort int port;
  private WebTestClient api;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("gridrun.gateway.snapshot-service-url", () -> url);
    registry.add("gridrun.gateway.job-service-url", () -> url);
  }

  /**
   * A server recording every request. With {@code attacker} it is snapshot-service: project {@code
   * evil}'s pipeline names environments that are URLs (the attacker's, cloud metadata), and every
   * environment lookup answers 200.
   */
  private static HttpServer start(List<String> saw, HttpServer attacker) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/",
          exchange -> {
            saw.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String path = exchange.getRequestURI().getPath();
            if (attacker != null && path.equals("/internal/projects/evil/pipeline")) {
              String evil = "http://127.0.0.1:" + attacker.getAddress().getPort() + "/x";
              answer(
                  exchange,
                  200,
                  """
                  { "name": "evil", "steps": [
                    { "id": "a", "file": "a.sh", "environment": "%s" },
                    { "id": "b", "file": "b.sh", "environment": "http://169.254.169.254/x" },
                    { "id": "c", "file": "c.sh", "environment": "../../internal/x" },
                    { "id": "d", "file": "d.sh", "environment": "a b" } ] }
                  """
                      .formatted(evil));
            } else {
              answer(exchange, 200, "{}");
            }
          });
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
            .responseTimeout(Duration.ofSeconds(20))
            .defaultHeader("Authorization", "Bearer " + GatewayIntegrationTest.TOKEN)
            .build();
  }

  @Test
  void anEnvironmentNameThatIsAUrlIsRefusedBeforeAnyLookup() {
    SERVICES_SAW.clear();
    for (String uri : List.of("/api/v1/jobs", "/api/v1/jobs:preview")) {
      api.post()
          .uri(uri)
          .header("Content-Type", "application/json")
          .bodyValue("{\"name\": \"n\", \"project\": \"evil\", \"pipeline\": \"p.pipeline.json\"}")
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
                      .contains("step 'b' names environment 'http://169.254.169.254/x'")
                      .contains("step 'c' names environment '../../internal/x'")
                      .contains("not a valid environment name"));
    }
    assertThat(ATTACKER_SAW).as("requests the attacker's host received").isEmpty();
    assertThat(SERVICES_SAW)
        .as("only the pipelines were read, no environment looked up")
        .allMatch(r -> r.startsWith("GET /internal/projects/evil/pipeline"));
  }

  @Test
  void rawBracketsOrSpacesInAPathAreABadRequestNotAnInternalError() throws IOException {
    for (String target :
        List.of(
            "/api/v1/jobs/a[b]",
            "/api/v1/jobs/[x]/runs",
            "/api/v1/runs/a]b",
            "/api/v1/environments/a[1]",
            "/api/v1/jobs/x|y/cancel")) {
      String method = target.endsWith("/cancel") ? "POST" : "GET";
      assertThat(rawStatusLine(method, target)).as(target).matches("HTTP/1.1 4\\d\\d .*");
    }
  }

  /** Sends a request line as it is, unencoded, as a hostile client can. */
  private String rawStatusLine(String method, String target) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method
                  + " "
                  + target
                  + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                  + GatewayIntegrationTest.TOKEN
                  + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
        line.append((char) c);
      }
      return line.toString();
    }
  }
}

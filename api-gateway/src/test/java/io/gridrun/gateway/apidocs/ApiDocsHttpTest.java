package io.gridrun.gateway.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.GatewayIntegrationTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document at {@code /v3/api-docs}: every route of docs/api.md is in it, and the job
 * submission it describes is one the gateway accepts. Swagger UI at {@code /api/docs}.
 */
@GatewayIntegrationTest
class ApiDocsHttpTest extends GatewayIntegrationTest.WithMongo {

  /** A route as docs/api.md writes it: {@code `GET /api/v1/jobs/{id}`}. */
  private static final Pattern DOCUMENTED =
      Pattern.compile("(GET|POST|PUT|DELETE) (/api/v1/[^`\\s|\\[?]+)");

  /** Routes docs/api.md gives in a shortened form ("pause` / `resume`", "GET …/notebook.ipynb"). */
  private static final List<String> SHORTENED =
      List.of(
          "POST /api/v1/jobs/{id}/resume",
          "POST /api/v1/jobs/preview",
          "GET /api/v1/runs/{runId}/steps/{stepId}/notebook.ipynb",
          "GET /login",
          "POST /login",
          "POST /logout");

  private static final String PIPELINE =
      """
      { "name": "train", "parameters": { "lr": 0.5 },
        "steps": [ { "id": "train", "file": "train.sh", "environment": "busybox",
                     "parameters": { "epochs": 5 } } ] }
      """;

  private static final HttpServer SERVICES = startServices();
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;

  private WebTestClient anonymous;
  private WebTestClient api;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("gridrun.gateway.snapshot-service-url", () -> url);
    registry.add("gridrun.gateway.job-service-url", () -> url);
  }

  /** snapshot-service and job-service as far as a submission needs them. */
  private static HttpServer startServices() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext(
          "/internal/projects/demo/pipeline", exchange -> answer(exchange, 200, PIPELINE));
      server.createContext("/api/v1/environments/busybox", exchange -> answer(exchange, 200, "{}"));
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
  void clients() {
    anonymous =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .responseTimeout(Duration.ofSeconds(30))
            .build();
    api =
        anonymous
            .mutate()
            .defaultHeader("Authorization", GatewayIntegrationTest.ADMIN_BEARER)
            .build();
  }

  private JsonNode spec() {
    byte[] body =
        anonymous
            .get()
            .uri("/v3/api-docs")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .returnResult()
            .getResponseBody();
    return JSON.readTree(body);
  }

  @Test
  void theSpecHasEveryRouteOfTheApiDocumentation() throws IOException {
    Set<String> documented = new LinkedHashSet<>(SHORTENED);
    Matcher routes = DOCUMENTED.matcher(Files.readString(Path.of("../docs/api.md")));
    while (routes.find()) {
      documented.add(routes.group(1) + " " + routes.group(2));
    }
    assertThat(documented).hasSizeGreaterThan(35);

    Set<String> specified = new LinkedHashSet<>();
    spec()
        .get("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .propertyNames()
                    .forEach(
                        method ->
                            specified.add(
                                method.toUpperCase(Locale.ROOT) + " " + normal(path.getKey()))));

    List<String> missing = new ArrayList<>();
    for (String route : documented) {
      String[] parts = route.split(" ", 2);
      if (!specified.contains(parts[0] + " " + normal(parts[1]))) {
        missing.add(route);
      }
    }
    assertThat(missing).as("routes of docs/api.md missing from /v3/api-docs").isEmpty();
  }

  /** Path variables compared by position, not by name ({@code {id}} and {@code {runId}}). */
  private static String normal(String path) {
    return path.replaceAll("\\{\\*?[^}]*}", "{}");
  }

  @Test
  void theSpecsJobSubmissionExampleIsAccepted() {
    JsonNode spec = spec();
    JsonNode body =
        spec.at("/paths/~1api~1v1~1jobs/post/requestBody/content/application~1json/schema");
    JsonNode schema =
        body.has("$ref")
            ? spec.at(
                "/components/schemas/"
                    + body.get("$ref").asString().replace("#/components/schemas/", ""))
            : body;
    assertThat(schema.at("/properties/name/type").asString()).isEqualTo("string");
    assertThat(schema.at("/properties/grid").isMissingNode()).isFalse();
    JsonNode example = schema.get("example");
    assertThat(example).as("the job submission schema's example").isNotNull();

    api.post()
        .uri("/api/v1/jobs")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(example.isString() ? example.asString() : example.toString())
        .exchange()
        .expectStatus()
        .isEqualTo(202)
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("PENDING");
  }

  @Test
  void secretsAreWriteOnlyInTheJobAndEnvironmentSchemas() {
    JsonNode spec = spec();
    JsonNode environment =
        spec.at(
            "/paths/~1api~1v1~1environments~1{name}/put/requestBody/content/application~1json/schema/$ref");
    assertThat(environment.asString()).isEqualTo("#/components/schemas/EnvironmentRegistration");
    JsonNode schemas = spec.get("components").get("schemas");
    assertThat(schemas.get("EnvironmentRegistration").get("properties").propertyNames())
        .containsExactlyInAnyOrder("image", "base", "setup", "env", "network", "secrets");
    assertThat(schemas.at("/EnvironmentRegistration/properties/secrets/writeOnly").asBoolean())
        .isTrue();
    assertThat(schemas.at("/JobSubmission/properties/secrets/writeOnly").asBoolean()).isTrue();
  }

  @Test
  void swaggerUiIsServedWithoutAToken() {
    String location =
        anonymous
            .get()
            .uri("/api/docs")
            .exchange()
            .expectStatus()
            .is3xxRedirection()
            .returnResult(Void.class)
            .getResponseHeaders()
            .getLocation()
            .toString();
    anonymous
        .get()
        .uri(location)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(page -> assertThat(page).contains("swagger-ui"));
    anonymous
        .get()
        .uri("/v3/api-docs/swagger-config")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.url")
        .isEqualTo("/v3/api-docs");
  }
}

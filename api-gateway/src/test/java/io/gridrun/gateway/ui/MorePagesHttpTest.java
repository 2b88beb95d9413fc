package io.gridrun.gateway.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gridrun.gateway.GatewayIntegrationTest;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/**
 * The Run, Environments, Projects and Snapshot pages over HTTP, rendered from the gateway's own API
 * with job-service and snapshot-service replaced by a stub that records what it was asked.
 */
@GatewayIntegrationTest
class MorePagesHttpTest extends GatewayIntegrationTest.WithMongo {

  static final String RUN_ID = "j-ui2-r0000001";
  static final String LIVE_RUN_ID = "j-ui2-r0000002";

  static final String RUN =
      """
      {"id": "%s", "jobId": "j-ui2", "index": 1, "batch": 0, "status": "%s", "attempt": 1,
       "executor": "process",
       "parameters": {"pipeline": {"alpha": "<i>a</i>"}, "steps": {"fit": {"depth": 3}}},
       "steps": [
         {"id": "prep", "status": "SUCCESS", "exitCode": 0, "reason": null,
          "startedAt": "2026-11-30T09:00:00Z", "finishedAt": "2026-11-30T09:00:02Z",
          "attempts": [{"attempt": 1, "exitCode": 0, "startedAt": "2026-11-30T09:00:00Z", "finishedAt": "2026-11-30T09:00:02Z"}]},
         {"id": "fit", "status": "%s", "exitCode": %s, "reason": %s,
          "startedAt": "2026-11-30T09:00:02Z", "finishedAt": %s, "attempts": []},
         {"id": "report", "status": "%s", "exitCode": null, "reason": null,
          "startedAt": null, "finishedAt": null, "attempts": []}],
       "metrics": {"prep": {}, "fit": {"loss": 0.25}},
       "reason": null, "startedAt": "2026-11-30T09:00:00Z", "finishedAt": null}
      """;

  static final String JOB =
      """
      {"id": "j-ui2", "name": "sweep <b>", "project": "demo", "pipeline": "grid.pipeline.json",
       "status": "STARTED", "snapshotId": "s-j-ui2"}
      """;

  static final String SNAPSHOT =
      """
      {"id": "s-j-ui2", "jobId": "j-ui2", "project": "demo", "pipeline": "grid.pipeline.json",
       "fileCount": 3, "totalBytes": 2100, "createdAt": "2026-11-30T08:59:00Z",
       "environments": {"busybox": "sha256:abc"},
       "definition": {"name": "grid", "steps": [
         {"id": "prep", "file": "prep.sh", "environment": "busybox"},
         {"id": "fit", "title": "Fit <model>", "file": "fit.sh", "environment": "busybox",
          "dependsOn": ["prep"]},
         {"id": "report", "file": "report.sh", "environment": "busybox", "dependsOn": ["prep", "fit"]}]}}
      """;

  static final String FILES =
      """
      {"items": [
        {"path": "grid.pipeline.json", "type": "file", "mode": "644", "size": 300, "hash": "h1"},
        {"path": "src", "type": "dir", "mode": "755", "size": 0},
        {"path": "src/fit step.sh", "type": "file", "mode": "644", "size": 1800, "hash": "h2"}],
       "page": 0, "size": 200, "total": 3}
      """;

  static final String ENVIRONMENTS =
      """
      {"items": [{"name": "busybox", "image": "gridrun/busybox:test", "imageId": "sha256:feed",
                  "env": {"API_KEY": "s3cr3t-value", "MODE": "full"}, "network": true,
                  "updatedAt": "2026-11-30T08:00:00Z"}],
       "page": 0, "size": 500, "total": 1}
      """;

  static final List<String> REQUESTS = new CopyOnWriteArrayList<>();
  static final Map<String, byte[]> BODIES = new ConcurrentHashMap<>();
  static final Map<String, String> TYPES = new ConcurrentHashMap<>();
  private static final HttpServer SERVICES = startServices();

  @LocalServerPort int port;

  @org.springframework.beans.factory.annotation.Autowired
  io.gridrun.gateway.config.StorageProperties storage;

  private WebTestClient web;

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    String url = "http://127.0.0.1:" + SERVICES.getAddress().getPort();
    registry.add("gridrun.gateway.snapshot-service-url", () -> url);
    registry.add("gridrun.gateway.job-service-url", () -> url);
    registry.add("gridrun.security.admin-token", () -> "test-admin-token");
  }

  private static HttpServer startServices() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setExecutor(Executors.newCachedThreadPool());
      server.createContext("/", MorePagesHttpTest::serve);
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    REQUESTS.add(method + " " + exchange.getRequestURI());
    byte[] body = exchange.getRequestBody().readAllBytes();
    BODIES.put(method + " " + path, body);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    TYPES.put(method + " " + path, type == null ? "" : type);
    switch (method + " " + path) {
      case "GET /api/v1/runs/" + RUN_ID ->
          answer(exchange, 200, run(RUN_ID, "FAILURE", "FAILURE", "3", "\"exit code 3\"", true));
      case "GET /api/v1/runs/" + LIVE_RUN_ID ->
          answer(exchange, 200, run(LIVE_RUN_ID, "STARTED", "STARTED", "null", "null", false));
      case "POST /api/v1/runs/" + LIVE_RUN_ID + "/cancel" -> answer(exchange, 202, "{}");
      case "POST /api/v1/runs/" + RUN_ID + "/cancel" ->
          answer(
              exchange,
              409,
              "{\"title\": \"Conflict\", \"status\": 409, \"detail\": \"the run already ended\"}");
      case "GET /api/v1/jobs/j-ui2" -> answer(exchange, 200, JOB);
      case "GET /api/v1/snapshots/s-j-ui2" -> answer(exchange, 200, SNAPSHOT);
      case "GET /api/v1/snapshots/s-j-ui2/files" -> answer(exchange, 200, FILES);
      case "GET /api/v1/snapshots/s-j-ui2/files/src/fit%20step.sh" ->
          answer(exchange, 200, "echo '<b>x</b>'\n", "application/octet-stream");
      case "GET /api/v1/environments" -> answer(exchange, 200, ENVIRONMENTS);
      case "PUT /api/v1/environments/gpu" ->
          answer(exchange, 200, "{\"name\": \"gpu\", \"image\": \"x\"}");
      case "PUT /api/v1/environments/bad" ->
          answer(
              exchange,
              400,
              "{\"title\": \"Invalid environment\", \"status\": 400,"
                  + " \"detail\": \"image is required: the image reference\","
                  + " \"errors\": [\"image is required: the image reference\"]}");
      case "GET /api/v1/projects" ->
          answer(
              exchange,
              200,
              "{\"items\": [{\"name\": \"demo\"}], \"page\": 0, \"size\": 500, \"total\": 1}");
      case "GET /api/v1/projects/demo/pipelines" ->
          answer(
              exchange,
              200,
              "{\"items\": [{\"path\": \"grid.pipeline.json\"}], \"page\": 0, \"size\": 500,"
                  + " \"total\": 1}");
      case "PUT /api/v1/projects/uploaded" ->
          answer(exchange, 200, "{\"name\": \"uploaded\", \"files\": 2, \"bytes\": 10}");
      case "PUT /api/v1/projects/refused" ->
          answer(
              exchange,
              400,
              "{\"title\": \"Upload refused\", \"status\": 400,"
                  + " \"detail\": \"entry ../x leaves the project\"}");
      default ->
          answer(
              exchange,
              404,
              "{\"title\": \"Not Found\", \"status\": 404, \"detail\": \"nothing at "
                  + path
                  + "\"}");
    }
  }

  static String run(
      String id, String status, String fit, String exit, String reason, boolean ended) {
    return RUN.formatted(
        id,
        status,
        fit,
        exit,
        reason,
        ended ? "\"2026-11-30T09:00:05Z\"" : "null",
        ended ? "ABORTED" : "PENDING");
  }

  static void answer(HttpExchange exchange, int status, String text) throws IOException {
    answer(exchange, status, text, status >= 400 ? "application/problem+json" : "application/json");
  }

  static void answer(HttpExchange exchange, int status, String text, String type)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @BeforeAll
  static void logs() throws IOException {
    StepLogStore logs =
        new StepLogStore(
            Path.of(System.getProperty("java.io.tmpdir"), "gridrun-gateway-test-logs"));
    for (String step : List.of("prep", "fit")) {
      if (!logs.exists(RUN_ID, step)) {
        try (OutputStream log = logs.create(RUN_ID, step)) {
          log.write(
              ("starting " + step + "\n<b>x</b>\nfailing on purpose\n")
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
    }
  }

  @BeforeEach
  void client() {
    web =
        WebTestClient.bindToServer()
            .baseUrl("http://localhost:" + port)
            .defaultHeader("Authorization", "Bearer test-admin-token")
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
  void theRunPageDrawsThePipelineAndTheChosenStepWithItsLogAsText() {
    String html = page("/runs/" + RUN_ID + "?step=fit", 200);

    assertThat(html)
        .contains("data-step=\"prep\"", "data-step=\"fit\"", "data-step=\"report\"")
        .contains("data-from=\"prep\" data-to=\"fit\"")
        .contains("data-from=\"fit\" data-to=\"report\"")
        .contains("box status-FAILURE selected")
        .contains("box status-ABORTED")
        .contains("exit code 3")
        .contains("fit.loss", "0.25")
        .contains("alpha", "&lt;i&gt;a&lt;/i&gt;", "fit.depth")
        .contains("sweep &lt;b&gt;")
        // a step is named with its pipeline title (an Orchest pipeline's), escaped, in the DAG
        // and in the step's panel (issue 16); a step without one by its id alone
        .contains("fit · Fit &lt;model&gt;")
        .contains("<h2>Step <span>fit</span><span> · Fit &lt;model&gt;</span></h2>")
        .doesNotContain("Fit <model>", "prep · ")
        .contains("Cancel run", "View log", "Line timestamps")
        .contains("process")
        .contains("href=\"/snapshots/s-j-ui2\"")
        .contains("&lt;b&gt;x&lt;/b&gt;", "failing on purpose")
        .doesNotContain("<b>x</b>", "<i>a</i>")
        .doesNotContain("data-follow")
        .doesNotContain(">Notebook<");
    // the DAG puts report right of fit, which is right of prep
    assertThat(x(html, "prep")).isLessThan(x(html, "fit"));
    assertThat(x(html, "fit")).isLessThan(x(html, "report"));
  }

  private static int x(String html, String step) {
    String node = html.substring(html.indexOf("data-step=\"" + step + "\""));
    String rect = node.substring(node.indexOf("<rect"));
    String value = rect.substring(rect.indexOf(" x=\"") + 4);
    return Integer.parseInt(value.substring(0, value.indexOf('"')));
  }

  @Test
  void aStepWithANotebookLinksItOnlyWhenTheApiHasIt() throws IOException {
    // the gateway serves a step's notebook from the artifact store the runners write
    Path outputs = java.nio.file.Files.createTempDirectory("outputs");
    java.nio.file.Files.writeString(outputs.resolve("notebook.html"), "<html>nb</html>");
    new io.gridrun.storage.artifact.ArtifactStore(storage.artifactsDir())
        .keep(RUN_ID, "prep", outputs, 1 << 20);

    assertThat(page("/runs/" + RUN_ID + "?step=prep", 200))
        .contains(">Notebook<")
        .contains("/api/v1/runs/" + RUN_ID + "/steps/prep/notebook.html")
        .contains(">Artifacts<")
        .contains("/api/v1/runs/" + RUN_ID + "/steps/prep/artifacts/notebook.html");
    // a step that kept nothing shows neither
    assertThat(page("/runs/" + RUN_ID + "?step=fit", 200))
        .doesNotContain(">Notebook<")
        .doesNotContain(">Artifacts<");
  }

  @Test
  void theLogWithLineTimestampsIsAskedForWithTimestamps() {
    page("/runs/" + RUN_ID + "?step=fit&timestamps=true", 200);

    assertThat(REQUESTS).contains("GET /api/v1/runs/" + RUN_ID);
    // the log itself is the gateway's: it was read with timestamps (the stub saw the run lookup)
    assertThat(page("/runs/" + RUN_ID + "?step=fit&timestamps=true", 200))
        .contains("checked")
        .contains("failing on purpose");
  }

  @Test
  void aRunningStepsLogIsFollowedByTheBrowser() {
    String html = page("/runs/" + LIVE_RUN_ID + "?step=fit", 200);

    assertThat(html)
        .contains("data-follow=\"/api/v1/runs/" + LIVE_RUN_ID + "/steps/fit/logs?follow=true\"")
        .contains("sse-connect=\"/api/v1/events?job=j-ui2\"")
        .contains("box status-STARTED selected")
        .doesNotContain("disabled=\"disabled\"");
  }

  @Test
  void cancelRunPostsToTheApiAndShowsItsRefusal() {
    web.post()
        .uri("/runs/" + LIVE_RUN_ID + "/cancel")
        .exchange()
        .expectStatus()
        .is3xxRedirection()
        .expectHeader()
        .location("/runs/" + LIVE_RUN_ID);
    assertThat(REQUESTS).contains("POST /api/v1/runs/" + LIVE_RUN_ID + "/cancel");

    String refused =
        web.post()
            .uri("/runs/" + RUN_ID + "/cancel")
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(refused).contains("the run already ended");
  }

  @Test
  void anUnknownRunIsAnErrorPageWithTheApisProblem() {
    assertThat(page("/runs/j-none-r0000009", 404)).contains("Not Found");
  }

  @Test
  void theEnvironmentsPageShowsVariableNamesButNeverTheirValues() {
    String html = page("/environments", 200);

    assertThat(html)
        .contains("busybox", "gridrun/busybox:test", "sha256:feed", "API_KEY", "MODE")
        .doesNotContain("s3cr3t-value")
        .contains("<label for=\"env-name\">Name</label>")
        .contains("<label for=\"env-image\">Image</label>")
        .contains("<label for=\"env-network\">Network</label>");
    assertThat(page("/environments?edit=busybox", 200))
        .contains("value=\"gridrun/busybox:test\"")
        .doesNotContain("s3cr3t-value");
  }

  @Test
  void theEnvironmentFormRegistersThroughTheApi() {
    web.post()
        .uri("/environments")
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(
            BodyInserters.fromFormData("name", "gpu")
                .with("image", "gridrun/busybox:test")
                .with("env", "MODE=full\nTOKEN=a=b\n")
                .with("network", "true"))
        .exchange()
        .expectStatus()
        .is3xxRedirection()
        .expectHeader()
        .location("/environments?saved=gpu");

    assertThat(new String(BODIES.get("PUT /api/v1/environments/gpu"), StandardCharsets.UTF_8))
        .contains("\"image\":\"gridrun/busybox:test\"")
        .contains("\"MODE\":\"full\"", "\"TOKEN\":\"a=b\"")
        .contains("\"network\":true");
  }

  @Test
  void aRefusedEnvironmentShowsTheProblemBesideTheFormAndKeepsWhatWasTyped() {
    String html =
        web.post()
            .uri("/environments")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(BodyInserters.fromFormData("name", "bad").with("image", "").with("env", "A=1"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(html)
        .contains("Invalid environment", "image is required")
        .contains("value=\"bad\"")
        .contains("A=1");

    String malformed =
        web.post()
            .uri("/environments")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(
                BodyInserters.fromFormData("name", "x").with("image", "i").with("env", "nonsense"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(malformed).contains("line 1 of the environment variables is not NAME=value");
    assertThat(REQUESTS).noneMatch(r -> r.startsWith("PUT /api/v1/environments/x"));
  }

  @Test
  void theProjectsPageListsProjectsWithTheirPipelines() {
    assertThat(page("/projects", 200))
        .contains("demo", "grid.pipeline.json", "Upload project", "Project name");
  }

  @Test
  void anUploadedArchiveIsStreamedToTheApiAsGzip() {
    byte[] archive = {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5};
    MultipartBodyBuilder form = new MultipartBodyBuilder();
    form.part("name", "uploaded");
    form.part(
        "archive",
        new ByteArrayResource(archive) {
          @Override
          public String getFilename() {
            return "uploaded.tar.gz";
          }
        });
    web.post()
        .uri("/projects")
        .body(BodyInserters.fromMultipartData(form.build()))
        .exchange()
        .expectStatus()
        .is3xxRedirection()
        .expectHeader()
        .location("/projects?uploaded=uploaded");

    assertThat(BODIES.get("PUT /api/v1/projects/uploaded")).isEqualTo(archive);
    assertThat(TYPES.get("PUT /api/v1/projects/uploaded")).startsWith("application/gzip");
  }

  @Test
  void aRefusedUploadShowsTheApisProblem() {
    MultipartBodyBuilder form = new MultipartBodyBuilder();
    form.part("name", "refused");
    form.part(
        "archive",
        new ByteArrayResource(new byte[] {1, 2}) {
          @Override
          public String getFilename() {
            return "bad.tar.gz";
          }
        });
    String html =
        web.post()
            .uri("/projects")
            .body(BodyInserters.fromMultipartData(form.build()))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(html).contains("Upload refused", "entry ../x leaves the project");
  }

  @Test
  void theSnapshotPageListsFilesAndShowsOneAsText() {
    String html = page("/snapshots/s-j-ui2?file=src/fit step.sh", 200);

    assertThat(html)
        .contains("grid.pipeline.json", "300 B", "1.8 KiB")
        .contains("src/fit step.sh")
        .contains("echo &#39;&lt;b&gt;x&lt;/b&gt;&#39;")
        .doesNotContain("<b>x</b>")
        .contains("/api/v1/snapshots/s-j-ui2/files/src/fit%20step.sh");
    assertThat(page("/snapshots/s-j-ui2?file=nope.txt", 200)).contains("nothing at");
  }
}

package io.gridrun.local;

import static io.gridrun.local.TestSupport.list;
import static io.gridrun.local.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Orchest project run unchanged, on the real Docker engine: {@code
 * examples/projects/orchest-quickstart} uploaded as a {@code .tar.gz} exactly as laid out, its
 * {@code .orchest/environments} environment registered and built from the mapped base image, and a
 * 2 × 2 grid over two model steps' parameters: 4 runs SUCCESS, each collecting notebook showing the
 * values both model steps passed through {@code orchest.output}/{@code get_inputs}. Maven profile
 * {@code python} (run by {@code ./gridrun test}).
 */
@Tag("python")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrchestQuickstartEndToEndTest {

  private static final Path EXAMPLES = Path.of("..", "examples");
  private static final String ENVIRONMENT = "6b1ca3c2-6c2e-4f6a-8b8a-1d2c3e4f5a60";
  private static final String RIDGE = "7c2b5d2f-0e1f-4b9c-8d68-1b2c3d4e5f02";
  private static final String KNN = "9e3c6e3a-1f2a-4cad-9e79-2c3d4e5f6a03";
  private static final String COLLECT = "b4d7f4b5-2a3b-4dbe-8f8a-3d4e5f6a7b04";

  @TempDir static Path home;
  private LocalStack stack;
  private GridrunClient api;

  @BeforeAll
  void startStack() throws Exception {
    assertThat(new DockerProbe(DockerProbe.DEFAULT_SOCKET).engineAnswers()).isTrue();
    if (!new DockerProbe(DockerProbe.DEFAULT_SOCKET).imageExists(DigitsDemo.BASE_IMAGE)) {
      Process build =
          new ProcessBuilder(
                  EXAMPLES
                      .toAbsolutePath()
                      .getParent()
                      .resolve("scripts/python-image.sh")
                      .toString())
              .inheritIO()
              .start();
      assertThat(build.waitFor()).as("scripts/python-image.sh").isZero();
    }
    stack =
        LocalStack.start(
            new StackSettings(
                home, home.resolve("projects"), home.resolve("data"), 0, 0, false, true));
    api = stack.client();
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /** The directory as a .tar.gz, every file (dot directories included) at its relative path. */
  private static byte[] tarGz(Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes));
        Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        byte[] content = Files.readAllBytes(file);
        TarArchiveEntry entry = new TarArchiveEntry(dir.relativize(file).toString());
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private String text(String path) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
            .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip())
            .GET()
            .build();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  @Test
  void theQuickstartRunsUnchangedAsA2x2GridWithDataPassedBetweenItsSteps() throws Exception {
    GridrunClient.Answer uploaded =
        api.put(
            "/api/v1/projects/orchest-quickstart",
            tarGz(EXAMPLES.resolve("projects/orchest-quickstart")),
            "application/gzip");
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
    Map<String, Object> registered = list(uploaded.json().get("orchestEnvironments")).get(0);
    assertThat(registered)
        .containsEntry("name", ENVIRONMENT)
        .containsEntry("orchestBase", "orchest/base-kernel-py")
        .containsEntry("base", "gridrun/python:3-debian");

    // the environment's build, started by the upload (apt-get the first time; cached later)
    await()
        .atMost(Duration.ofMinutes(20))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              Object status = api.get("/api/v1/environments/" + ENVIRONMENT).json().get("status");
              assertThat(status).as("build of " + ENVIRONMENT).isNotEqualTo("FAILED");
              return "READY".equals(status);
            });
    String setupLog = api.get("/api/v1/environments/" + ENVIRONMENT + "/builds/1/log").body();
    assertThat(setupLog).doesNotContain("sudo: not found");

    List<Map<String, Object>> pipelines =
        list(api.get("/api/v1/projects/orchest-quickstart/pipelines").json().get("items"));
    assertThat(pipelines).extracting(p -> p.get("path")).containsExactly("quickstart.orchest");

    GridrunClient.Answer created =
        api.post("/api/v1/jobs", Files.readString(EXAMPLES.resolve("orchest-quickstart/job.json")));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String job = (String) created.json().get("id");
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                List.of("SUCCESS", "FAILURE", "ABORTED")
                    .contains(String.valueOf(api.get("/api/v1/jobs/" + job).json().get("status"))));
    List<Map<String, Object>> runs = TestSupport.runsOf(api, job);
    assertThat(runs).hasSize(4);
    assertThat(runs)
        .as("runs %s", runs)
        .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));

    for (Map<String, Object> run : runs) {
      String runId = (String) run.get("id");
      Map<String, Object> full = api.get("/api/v1/runs/" + runId).json();
      Map<String, Object> steps = map(map(full.get("parameters")).get("steps"));
      Object alpha = map(steps.get(RIDGE)).get("alpha");
      Object k = map(steps.get(KNN)).get("k");
      String html = text("/api/v1/runs/" + runId + "/steps/" + COLLECT + "/notebook.html");
      // both upstream steps' outputs, with this run's parameters, read through get_inputs()
      assertThat(html)
          .as("run %s (alpha %s, k %s)", runId, alpha, k)
          .contains("ridge alpha=" + alpha + " mse=")
          .contains("knn k=" + k + " mse=")
          .contains("best model: ");
      assertThat(list(full.get("steps")))
          .extracting(s -> s.get("id"))
          .contains(RIDGE, KNN, COLLECT);
      // the pipeline's step titles, wherever a step is named (issue 16)
      assertThat(list(full.get("steps")))
          .extracting(s -> s.get("id"), s -> s.get("title"))
          .contains(
              org.assertj.core.groups.Tuple.tuple(RIDGE, "Ridge regression"),
              org.assertj.core.groups.Tuple.tuple(KNN, "Nearest neighbours"),
              org.assertj.core.groups.Tuple.tuple(COLLECT, "Collect results"));
      assertThat(list(full.get("steps"))).extracting(s -> s.get("title")).contains("Get data");
    }
  }

  @Test
  void aMalformedOrchestPipelineIsRefusedNamingTheField() throws Exception {
    Path project = home.resolve("broken-source");
    Files.createDirectories(project);
    Files.writeString(
        project.resolve("broken.orchest"),
        "{\"name\": \"b\", \"uuid\": \"u\", \"steps\": {\"s1\": {\"environment\": \"e\"}}}");
    assertThat(
            api.put("/api/v1/projects/broken-orchest", tarGz(project), "application/gzip").status())
        .isEqualTo(200);
    GridrunClient.Answer refused =
        api.post(
            "/api/v1/jobs",
            "{\"name\": \"broken\", \"project\": \"broken-orchest\","
                + " \"pipeline\": \"broken.orchest\"}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("field 'steps.s1.file_path' is missing");
  }
}

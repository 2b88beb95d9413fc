package io.gridrun.local;

import static io.gridrun.local.TestSupport.list;
import static io.gridrun.local.TestSupport.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./gridrun demo digits} end to end on the real Docker engine: the digits environment built
 * by gridrun from gridrun/python:3-debian (apt-get in the build; Docker's cache makes later builds
 * quick), the 3 × 3 SVM grid, accuracies that differ, the best run reported first, its confusion
 * matrix artifact and its notebook report as HTML with the run's parameters. Maven profile {@code
 * python} ({@code ./mvnw -pl local verify -Ppython}).
 */
@Tag("python")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DigitsEndToEndTest {

  @TempDir static Path home;
  private LocalStack stack;
  private GridrunClient api;

  @BeforeAll
  void startStack() throws Exception {
    assertThat(new DockerProbe(DockerProbe.DEFAULT_SOCKET).engineAnswers()).isTrue();
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

  private byte[] download(String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path)).GET();
    Path token = home.resolve("token");
    if (Files.exists(token)) {
      request.header("Authorization", "Bearer " + Files.readString(token).strip());
    }
    HttpResponse<byte[]> response =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    return response.body();
  }

  @Test
  void theDigitsSweepRunsNineRunsAndReportsTheBestWithArtifactsAndANotebook() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    String job =
        new DigitsDemo(stack, Path.of("..", "examples"), new PrintStream(printed, true)).run();
    String output = printed.toString(StandardCharsets.UTF_8);
    System.out.println(output);
    assertThat(job).as(output).isNotNull();

    List<Map<String, Object>> results =
        list(
            api.get("/api/v1/jobs/" + job + "/results?sort=train.accuracy&order=desc&size=50")
                .json()
                .get("items"));
    assertThat(results).hasSize(9);
    assertThat(results).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));
    List<Double> accuracies =
        results.stream()
            .map(
                r ->
                    ((Number) map(map(r.get("metrics")).get("train")).get("accuracy"))
                        .doubleValue())
            .toList();
    Set<Double> distinct = accuracies.stream().collect(Collectors.toSet());
    assertThat(distinct).as("accuracies %s", accuracies).hasSizeGreaterThanOrEqualTo(3);
    assertThat(accuracies).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(accuracies.get(0)).isGreaterThan(0.9);

    // the best run, as the job reports it, is the first row of the demo's table
    Map<String, Object> best =
        map(
            map(map(api.get("/api/v1/jobs/" + job).json().get("best")).get("train.accuracy"))
                .get("max"));
    assertThat(((Number) best.get("value")).doubleValue()).isEqualTo(accuracies.get(0));
    String bestRun = (String) best.get("runId");
    String firstRow =
        output.lines().dropWhile(l -> !l.startsWith("index")).skip(1).findFirst().orElseThrow();
    assertThat(firstRow).startsWith(String.valueOf(best.get("index")));

    Map<String, Object> parameters = map(map(results.get(0).get("parameters")).get("pipeline"));
    byte[] png = download("/api/v1/runs/" + bestRun + "/steps/train/artifacts/confusion.png");
    assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    // the right bytes: those the runner kept, as the artifact list names them
    Map<String, Object> listed =
        list(
                io.gridrun.common.event.EventCodec.mapper()
                    .readValue(
                        api.get("/api/v1/runs/" + bestRun + "/steps/train/artifacts").body(),
                        List.class))
            .stream()
            .filter(a -> "confusion.png".equals(a.get("path")))
            .findFirst()
            .orElseThrow();
    assertThat(((Number) listed.get("size")).longValue()).isEqualTo(png.length);
    assertThat(listed.get("sha256"))
        .isEqualTo(
            java.util.HexFormat.of()
                .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(png)));

    String html =
        new String(
            download("/api/v1/runs/" + bestRun + "/steps/report/notebook.html"),
            StandardCharsets.UTF_8);
    assertThat(html)
        .contains("gamma = " + parameters.get("gamma"))
        .contains("data:image/png;base64")
        .contains("Recall per digit");
    assertThat(new String(download("/api/v1/runs/" + bestRun + "/steps/report/notebook.ipynb")))
        .contains("injected-parameters");
  }
}

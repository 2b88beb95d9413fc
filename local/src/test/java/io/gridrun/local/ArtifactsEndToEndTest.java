package io.gridrun.local;

import static io.gridrun.local.TestSupport.list;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step artifacts through the whole stack on the real Docker engine: what a step writes to {@code
 * GRIDRUN_OUTPUTS} is listed and downloaded byte for byte with its content type, and goes with its
 * run under {@code maxRetainedRuns}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactsEndToEndTest {

  private static final String IMAGE = "gridrun/busybox:test";
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @TempDir static Path home;
  private LocalStack stack;
  private GridrunClient api;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startStack() throws Exception {
    assertThat(new DockerProbe(DockerProbe.DEFAULT_SOCKET).imageExists(IMAGE)).isTrue();
    stack =
        LocalStack.start(
            new StackSettings(
                home, home.resolve("projects"), home.resolve("data"), 0, 0, false, true));
    api = stack.client();
    assertThat(api.put("/api/v1/environments/busybox", "{\"image\": \"" + IMAGE + "\"}").status())
        .isEqualTo(200);
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  /** A download as bytes, with the admin token when the stack made one. */
  private HttpResponse<byte[]> download(String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path)).GET();
    Path token = home.resolve("token");
    if (Files.exists(token)) {
      request.header("Authorization", "Bearer " + Files.readString(token).strip());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private List<Map<String, Object>> artifacts(String runId) throws Exception {
    GridrunClient.Answer answer = api.get("/api/v1/runs/" + runId + "/steps/make/artifacts");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return list(io.gridrun.common.event.EventCodec.mapper().readValue(answer.body(), List.class));
  }

  private static void project() throws IOException {
    Path dir = home.resolve("projects/art");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        {"parameters": {"n": 0},
         "steps": [{"id": "make", "file": "make.sh", "environment": "busybox"}]}
        """);
    Files.writeString(
        dir.resolve("make.sh"),
        """
        set -e
        mkdir -p "$GRIDRUN_OUTPUTS/plots"
        printf '\\211PNG\\r\\n\\032\\n-run-%s' "$GRIDRUN_PARAM_N" > "$GRIDRUN_OUTPUTS/plots/a.png"
        echo '<svg xmlns="http://www.w3.org/2000/svg"/>' > "$GRIDRUN_OUTPUTS/b.svg"
        echo same > "$GRIDRUN_OUTPUTS/same.txt"
        """);
  }

  @Test
  void artifactsAreListedDownloadedWithTheirBytesAndTypeAndFollowRetention() throws Exception {
    project();
    GridrunClient.Answer created =
        api.post(
            "/api/v1/jobs",
            """
            {"name": "art", "project": "art", "pipeline": "p.pipeline.json",
             "grid": {"pipeline": {"n": [1, 2]}}, "maxParallelRuns": 1, "maxRetainedRuns": 1}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String job = (String) created.json().get("id");
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> "SUCCESS".equals(api.get("/api/v1/jobs/" + job).json().get("status")));

    // the older run falls beyond maxRetainedRuns: its artifacts go (its log stays)
    String older = job + "-r0000000";
    String kept = job + "-r0000001";
    await().atMost(Duration.ofSeconds(60)).until(() -> artifacts(older).isEmpty());
    assertThat(api.get("/api/v1/runs/" + older + "/steps/make/logs").status()).isEqualTo(200);

    List<Map<String, Object>> listed = artifacts(kept);
    assertThat(listed)
        .extracting(a -> a.get("path"))
        .containsExactly("b.svg", "plots/a.png", "same.txt");
    Map<String, Object> same = listed.get(2);
    assertThat(same.get("size")).isEqualTo(5);
    assertThat(same.get("sha256"))
        .isEqualTo(
            HexFormat.of()
                .formatHex(
                    MessageDigest.getInstance("SHA-256")
                        .digest("same\n".getBytes(StandardCharsets.UTF_8))));
    assertThat(listed.get(1).get("url"))
        .isEqualTo("/api/v1/runs/" + kept + "/steps/make/artifacts/plots/a.png");

    HttpResponse<byte[]> png = download((String) listed.get(1).get("url"));
    assertThat(png.statusCode()).isEqualTo(200);
    assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
    byte[] expected = new byte[PNG_MAGIC.length + 6];
    System.arraycopy(PNG_MAGIC, 0, expected, 0, PNG_MAGIC.length);
    System.arraycopy("-run-2".getBytes(StandardCharsets.US_ASCII), 0, expected, 8, 6);
    assertThat(png.body()).isEqualTo(expected);

    HttpResponse<byte[]> svg = download((String) listed.get(0).get("url"));
    assertThat(svg.headers().firstValue("Content-Type")).hasValue("image/svg+xml");
    assertThat(svg.headers().firstValue("Content-Security-Policy")).hasValue("sandbox");
    assertThat(new String(svg.body(), StandardCharsets.UTF_8)).startsWith("<svg");

    assertThat(download("/api/v1/runs/" + kept + "/steps/make/artifacts/nope.txt").statusCode())
        .isEqualTo(404);
    assertThat(download("/api/v1/runs/" + kept + "/steps/make/notebook.html").statusCode())
        .isEqualTo(404);
    assertThat(api.get("/api/v1/runs/" + kept + "/steps/nostep/artifacts").status()).isEqualTo(404);
  }
}

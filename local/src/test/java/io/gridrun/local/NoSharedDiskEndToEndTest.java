package io.gridrun.local;

import static io.gridrun.local.TestSupport.list;
import static io.gridrun.local.TestSupport.runsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.runner.RunnerServiceApplication;
import io.gridrun.storage.s3.S3ProxyServer;
import io.gridrun.storage.s3.S3Settings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's acceptance test for services that share no disk: blobs, finished logs and artifacts in
 * a real S3 API (S3Proxy, file-system backend, a process of its own), running steps' lines over the
 * {@code gridrun.logs} topic. Two runner processes, each with its own work directory, log
 * directory, blob cache and {@code /data}, and no storage path in common with each other or with
 * the gateway and snapshot-service, execute one job; it completes, both runners took part, and each
 * run's log (followed live while the step ran, and read after it ended) and artifacts are readable
 * through the gateway.
 */
class NoSharedDiskEndToEndTest {

  private static final String IMAGE = "gridrun/busybox:test";
  // run requests are keyed by run id over 6 partitions, 3 per runner: with 6 runs both runners got
  // some except with probability 2 * 2^-6 (about 3 %; it happened), with 14 runs 2 * 2^-14
  private static final int RUNS = 14;
  private static final Path LOGS = Path.of("target", "no-shared-disk");

  @TempDir Path home;
  private S3ProxyServer s3;
  private LocalStack stack;
  private final List<ChildService> runners = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void stop() throws InterruptedException {
    for (ChildService runner : runners) {
      runner.close();
    }
    if (stack != null) {
      stack.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Test
  void aJobOnTwoRunnersWithoutSharedStorageCompletesWithLogsAndArtifactsReadable()
      throws Exception {
    assertThat(new DockerProbe(DockerProbe.DEFAULT_SOCKET).imageExists(IMAGE))
        .as("test image " + IMAGE + " (run ./gridrun test)")
        .isTrue();
    s3 = S3ProxyServer.start(home.resolve("s3"));
    S3Settings bucket = s3.bucket("gridrun", "e2e/");
    Map<String, String> objectStorage =
        Map.of(
            "gridrun.storage.kind", "s3",
            "gridrun.storage.s3.bucket", bucket.bucket(),
            "gridrun.storage.s3.prefix", bucket.prefix(),
            "gridrun.storage.s3.endpoint", bucket.endpoint().toString(),
            "gridrun.storage.s3.path-style", "true");

    stack =
        LocalStack.infrastructure(
                new StackSettings(
                        home, home.resolve("projects"), home.resolve("data"), 0, 0, false, true)
                    .withRunners(0))
            .withSharedProperties(objectStorage);
    Files.createDirectories(LOGS);
    ChildService a = ChildService.launch(runner("runner-a", objectStorage));
    runners.add(a);
    ChildService b = ChildService.launch(runner("runner-b", objectStorage));
    runners.add(b);
    stack.withServices();
    a.awaitHealthy(Duration.ofMinutes(3));
    b.awaitHealthy(Duration.ofMinutes(3));
    // both take part only if both share the run queue before the runs are requested (CI: a runner
    // still joining the group got none of the 14 runs)
    RunQueue.awaitMembersWithPartitions(stack.kafkaBootstrap(), 2);

    GridrunClient api = stack.client();
    assertThat(api.put("/api/v1/environments/busybox", "{\"image\": \"" + IMAGE + "\"}").status())
        .isEqualTo(200);
    writeProject();
    GridrunClient.Answer created =
        api.post(
            "/api/v1/jobs",
            """
            { "name": "spread", "project": "spread", "pipeline": "p.pipeline.json",
              "grid": { "pipeline": { "n": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14] } } }
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String jobId = (String) created.json().get("id");

    // follow the first run's log while its step runs: the lines arrive over Kafka
    String first = jobId + "-r0000000";
    await().atMost(Duration.ofSeconds(90)).until(() -> "STARTED".equals(stepStatus(api, first)));
    CompletableFuture<HttpResponse<String>> followed =
        http.sendAsync(
            request("/api/v1/runs/" + first + "/steps/work/logs?follow=true"),
            HttpResponse.BodyHandlers.ofString());

    Map<String, Object> job =
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> api.get("/api/v1/jobs/" + jobId).json(),
                j -> List.of("SUCCESS", "FAILURE", "ABORTED").contains(j.get("status")));
    assertThat(job.get("status")).as("job %s", job).isEqualTo("SUCCESS");

    HttpResponse<String> live = followed.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).contains("begin n=1").contains("end n=1");

    List<Map<String, Object>> runs = runsOf(api, jobId);
    assertThat(runs)
        .hasSize(RUNS)
        .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));
    for (Map<String, Object> run : runs) {
      String runId = (String) run.get("id");
      Object n = TestSupport.map(TestSupport.map(run.get("parameters")).get("pipeline")).get("n");
      // the finished log, from the object store
      GridrunClient.Answer log = api.get("/api/v1/runs/" + runId + "/steps/work/logs");
      assertThat(log.status()).as(log.body()).isEqualTo(200);
      assertThat(log.body()).contains("begin n=" + n).contains("end n=" + n);
      GridrunClient.Answer stamped =
          api.get("/api/v1/runs/" + runId + "/steps/work/logs?timestamps=true");
      assertThat(stamped.status()).isEqualTo(200);
      assertThat(stamped.body()).contains("end n=" + n);
      // the artifact, from the object store
      List<Map<String, Object>> artifacts =
          list(
              io.gridrun.common.event.EventCodec.mapper()
                  .readValue(
                      api.get("/api/v1/runs/" + runId + "/steps/work/artifacts").body(),
                      List.class));
      assertThat(artifacts).extracting(x -> x.get("path")).containsExactly("result.txt");
      HttpResponse<String> download =
          http.send(
              request("/api/v1/runs/" + runId + "/steps/work/artifacts/result.txt"),
              HttpResponse.BodyHandlers.ofString());
      assertThat(download.statusCode()).isEqualTo(200);
      assertThat(download.body()).isEqualTo("result of " + n + "\n");
    }
    // each runner materialised the working copies of its runs on its own disk, from the bucket
    Set<String> materialised = new TreeSet<>();
    for (String runner : List.of("runner-a", "runner-b")) {
      Path own = home.resolve("runners").resolve(runner);
      List<String> copies;
      try (Stream<Path> work = Files.list(own.resolve("work"))) {
        copies =
            work.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(jobId)).toList();
      }
      assertThat(copies).as("runs executed by " + runner).isNotEmpty();
      for (String runId : copies) {
        assertThat(workingCopyFile(own.resolve("work"), runId, "work.sh")).isRegularFile();
      }
      materialised.addAll(copies);
      try (Stream<Path> cached = Files.walk(own.resolve("blob-cache").resolve("sha256"))) {
        // the manifest, work.sh and the pipeline file, each fetched once per host
        assertThat(cached.filter(Files::isRegularFile).count()).isEqualTo(3);
      }
    }
    assertThat(materialised).hasSize(RUNS);
    try (Stream<Path> shared = Files.walk(home.resolve("blobs"))) {
      assertThat(shared.filter(Files::isRegularFile).toList()).isEmpty();
    }
  }

  private ChildService.Spec runner(String id, Map<String, String> objectStorage) throws Exception {
    Path own = home.resolve("runners").resolve(id);
    Files.createDirectories(own.resolve("data"));
    Map<String, String> properties = new LinkedHashMap<>(stack.runnerProperties(id));
    // nothing shared: no blob or log directory, a /data of its own, its own work directory
    properties.remove("gridrun.storage.blobs");
    properties.put("gridrun.storage.logs", own.resolve("logs").toString());
    properties.put("gridrun.storage.data", own.resolve("data").toString());
    properties.put("gridrun.storage.blob-cache", own.resolve("blob-cache").toString());
    properties.put("gridrun.runner.work-dir", own.resolve("work").toString());
    properties.put("gridrun.runner.slots", "2");
    properties.putAll(objectStorage);
    List<String> jvm =
        new ArrayList<>(List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    S3ProxyServer.credentialProperties().forEach((k, v) -> jvm.add("-D" + k + "=" + v));
    return new ChildService.Spec(
        id, RunnerServiceApplication.class.getName(), jvm, properties, LOGS.resolve(id + ".log"));
  }

  private void writeProject() throws Exception {
    Path dir = home.resolve("projects/spread");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "n": 0 },
          "steps": [ { "id": "work", "file": "work.sh", "environment": "busybox" } ] }
        """);
    Files.writeString(
        dir.resolve("work.sh"),
        """
        set -eu
        echo "begin n=$GRIDRUN_PARAM_N"
        sleep 4
        echo "result of $GRIDRUN_PARAM_N" > "$GRIDRUN_OUTPUTS/result.txt"
        echo "end n=$GRIDRUN_PARAM_N"
        """);
  }

  private static Object stepStatus(GridrunClient api, String runId) throws Exception {
    GridrunClient.Answer run = api.get("/api/v1/runs/" + runId);
    if (run.status() != 200) {
      return null;
    }
    for (Map<String, Object> step : list(run.json().get("steps"))) {
      if ("work".equals(step.get("id"))) {
        return step.get("status");
      }
    }
    return null;
  }

  private HttpRequest request(String path) throws Exception {
    return HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip())
        .GET()
        .build();
  }

  /**
   * Where a run's working copy holds {@code file}: in the snapshot tree the runner materialised
   * once under {@code .snapshots} when the run had an overlay of it (the overlay is gone with the
   * run), else in the run's own full copy.
   */
  private static Path workingCopyFile(Path work, String runId, String file) throws Exception {
    Path marker = work.resolve(runId).resolve(".snapshot");
    if (Files.exists(marker)) {
      return work.resolve(".snapshots").resolve(Files.readString(marker).strip()).resolve(file);
    }
    return work.resolve(runId).resolve("project").resolve(file);
  }
}

package io.gridrun.local;

import static io.gridrun.local.TestSupport.docker;
import static io.gridrun.local.TestSupport.list;
import static io.gridrun.local.TestSupport.map;
import static io.gridrun.local.TestSupport.removeContainer;
import static io.gridrun.local.TestSupport.runsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole stack on a real Kafka broker, mongo-java-server and the real Docker engine, driven
 * through the gateway's HTTP API only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndToEndTest {

  private static final String IMAGE = "gridrun/busybox:test";

  @TempDir static Path home;
  private LocalStack stack;
  private GridrunClient api;
  private Path project;

  @BeforeAll
  void startStack() throws Exception {
    DockerProbe docker = new DockerProbe(DockerProbe.DEFAULT_SOCKET);
    assertThat(docker.engineAnswers())
        .as("a Docker engine must answer at /var/run/docker.sock (run ./gridrun test)")
        .isTrue();
    assertThat(docker.imageExists(IMAGE)).as("test image " + IMAGE).isTrue();
    stack =
        LocalStack.start(
            new StackSettings(
                home, home.resolve("projects"), home.resolve("data"), 0, freePort(), false, true));
    api = stack.client();
    project = writeProject(home.resolve("projects/e2e"));
    assertThat(
            api.put(
                    "/api/v1/environments/busybox",
                    "{\"image\": \"" + IMAGE + "\", \"env\": {\"MODE\": \"environment\"}}")
                .status())
        .isEqualTo(200);
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  private static Path writeProject(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("sweep.pipeline.json"),
        """
        { "name": "sweep",
          "parameters": { "lr": 0.1 },
          "env": { "MODE": "fast" },
          "steps": [
            { "id": "prep", "file": "prep.sh", "environment": "busybox", "parameters": { "rows": 10 } },
            { "id": "train", "file": "train.sh", "environment": "busybox", "dependsOn": ["prep"] } ] }
        """);
    Files.writeString(
        dir.resolve("prep.sh"),
        """
        set -eu
        echo "prep lr=$GRIDRUN_PARAM_LR rows=$GRIDRUN_PARAM_ROWS"
        if [ "$GRIDRUN_PARAM_LR" = "0.01" ] && [ "$GRIDRUN_PARAM_ROWS" = "30" ]; then
          echo "failing on purpose" >&2
          exit 3
        fi
        echo "$GRIDRUN_PARAM_ROWS" > rows.txt
        """);
    Files.writeString(
        dir.resolve("train.sh"),
        """
        set -eu
        rows=$(cat rows.txt)
        line="run=$GRIDRUN_RUN_INDEX lr=$GRIDRUN_PARAM_LR rows=$rows config=$(cat config.txt) mode=$MODE"
        echo "train $line"
        cat "$GRIDRUN_PARAMS_FILE"
        mkdir -p "$GRIDRUN_DATA/e2e"
        echo "$line" > "$GRIDRUN_DATA/e2e/$GRIDRUN_RUN_INDEX.txt"
        """);
    Files.writeString(dir.resolve("config.txt"), "v1\n");
    return dir;
  }

  @Test
  void aGridJobRunsEveryCombinationOnItsSnapshotAndReportsStatusesAndLogs() throws Exception {
    GridrunClient.Answer created =
        api.post(
            "/api/v1/jobs",
            """
            { "name": "e2e-sweep", "project": "e2e", "pipeline": "sweep.pipeline.json",
              "grid": { "pipeline": { "lr": [0.1, 0.01] },
                        "steps": { "prep": { "rows": [10, 20, 30] } } },
              "env": { "MODE": "full" } }
            """);
    assertThat(created.status()).isEqualTo(202);
    assertThat(created.json()).containsEntry("status", "PENDING");
    String jobId = (String) created.json().get("id");

    // once the snapshot is complete, edits to the project never reach the job
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/api/v1/jobs/" + jobId).json().get("snapshotId") != null);
    Files.writeString(project.resolve("config.txt"), "v2\n");

    String snapshotId = (String) api.get("/api/v1/jobs/" + jobId).json().get("snapshotId");
    Map<String, Object> snapshot = api.get("/api/v1/snapshots/" + snapshotId).json();
    assertThat(snapshot)
        .containsEntry("fileCount", 4)
        .containsKeys("totalBytes", "newBytes", "durationMs");
    assertThat(list(api.get("/api/v1/snapshots/" + snapshotId + "/files").json().get("items")))
        .extracting(f -> f.get("path"))
        .containsExactlyInAnyOrder("sweep.pipeline.json", "prep.sh", "train.sh", "config.txt");
    // what the job really ran, not the edited project
    assertThat(api.get("/api/v1/snapshots/" + snapshotId + "/files/config.txt").body())
        .isEqualTo("v1\n");
    Map<String, Object> job =
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> api.get("/api/v1/jobs/" + jobId).json(),
                j -> List.of("SUCCESS", "FAILURE", "ABORTED").contains(j.get("status")));
    assertThat(job.get("status")).isEqualTo("FAILURE");
    assertThat(job.get("runCount")).isEqualTo(6);
    assertThat(job.get("runCounts"))
        .isEqualTo(Map.of("PENDING", 0, "STARTED", 0, "SUCCESS", 5, "FAILURE", 1, "ABORTED", 0));

    List<Map<String, Object>> runs = runsOf(api, jobId);
    assertThat(runs).extracting(r -> r.get("index")).containsExactly(0, 1, 2, 3, 4, 5);
    double[] lrs = {0.1, 0.1, 0.1, 0.01, 0.01, 0.01};
    int[] rows = {10, 20, 30, 10, 20, 30};
    for (int i = 0; i < 6; i++) {
      Map<String, Object> parameters = map(runs.get(i).get("parameters"));
      assertThat(map(parameters.get("pipeline"))).containsEntry("lr", lrs[i]);
      assertThat(map(map(parameters.get("steps")).get("prep"))).containsEntry("rows", rows[i]);
      if (i < 5) {
        assertThat(runs.get(i).get("status")).isEqualTo("SUCCESS");
        // each run saw its own parameters, the snapshot's config and the job's env; /data is shared
        assertThat(home.resolve("data/e2e/" + i + ".txt"))
            .hasContent("run=" + i + " lr=" + lrs[i] + " rows=" + rows[i] + " config=v1 mode=full");
      }
    }

    Map<String, Object> failed = runs.get(5);
    assertThat(failed.get("status")).isEqualTo("FAILURE");
    List<Map<String, Object>> steps = list(failed.get("steps"));
    assertThat(steps.get(0))
        .containsEntry("id", "prep")
        .containsEntry("status", "FAILURE")
        .containsEntry("exitCode", 3)
        .containsEntry("reason", "exit code 3");
    assertThat(steps.get(1))
        .containsEntry("id", "train")
        .containsEntry("status", "ABORTED")
        .containsEntry("reason", "upstream step failed");
    assertThat(home.resolve("data/e2e/5.txt")).doesNotExist();

    String run0 = (String) runs.get(0).get("id");
    GridrunClient.Answer log = api.get("/api/v1/runs/" + run0 + "/steps/train/logs");
    assertThat(log.status()).isEqualTo(200);
    assertThat(log.body())
        .contains("train run=0 lr=0.1 rows=10 config=v1 mode=full")
        .contains("\"step\":\"train\"");
    assertThat(api.get("/api/v1/runs/" + failed.get("id") + "/steps/prep/logs").body())
        .contains("failing on purpose");
    GridrunClient.Answer neverStarted =
        api.get("/api/v1/runs/" + failed.get("id") + "/steps/train/logs");
    assertThat(neverStarted.status()).isEqualTo(404);
    assertThat(neverStarted.json()).containsKey("detail");
  }

  @Test
  void anOutsideConsumerReconstructsEveryJobsFinalStateFromTheStatusTopic() throws Exception {
    String id =
        submit(
            """
        { "name": "watched", "project": "e2e", "pipeline": "sweep.pipeline.json",
          "grid": { "pipeline": { "lr": [0.1] } } }
        """);
    awaitJob(id, "SUCCESS", 120);

    // through the stack's fixed local address, as kcat would attach
    assertThat(stack.kafkaAddress()).isEqualTo("localhost:" + stack.settings().kafkaPort());
    var events = StatusStreamContract.readAll(stack.kafkaAddress());
    var finals = StatusStreamContract.finalJobStatuses(events);

    assertThat(finals).containsEntry(id, "SUCCESS");
    for (var entry : finals.entrySet()) {
      assertThat(api.get("/api/v1/jobs/" + entry.getKey()).json().get("status"))
          .as("job %s", entry.getKey())
          .isEqualTo(entry.getValue());
    }
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.path("type").asText()).isEqualTo("step.status");
              assertThat(e.path("jobId").asText()).isEqualTo(id);
              assertThat(e.path("status").asText()).isEqualTo("SUCCESS");
            });
    assertThat(StatusStreamContract.violations(events, Path.of("..", "docs", "schemas"))).isEmpty();
  }

  @Test
  void metricsMoveWhenAJobRuns() throws Exception {
    String id =
        submit(
            """
        { "name": "measured", "project": "e2e", "pipeline": "sweep.pipeline.json" }
        """);
    awaitJob(id, "SUCCESS", 120);
    Map<String, Integer> ports = stack.ports();
    String jobService = scrape(ports.get("job-service"));
    String runner = scrape(ports.get("runner-service"));
    String snapshots = scrape(ports.get("snapshot-service"));
    String gateway = scrape(ports.get("api-gateway"));

    assertThat(jobService)
        .containsPattern("gridrun_jobs_received_total(\\{[^}]*\\})? [1-9]")
        .containsPattern(
            "gridrun_jobs_finished_total\\{[^}]*status=\"(SUCCESS|FAILURE)\"[^}]*\\} [1-9]")
        .containsPattern(
            "gridrun_step_duration_seconds_count\\{[^}]*environment=\"busybox\"[^}]*\\} [1-9]")
        .contains("gridrun_dispatch_queue")
        .contains("kafka_consumer");
    assertThat(runner).contains("gridrun_runner_slots_free").contains("gridrun_runner_slots_busy");
    assertThat(snapshots)
        .containsPattern("gridrun_snapshot_bytes_total\\{[^}]*kind=\"total\"[^}]*\\} [1-9]");
    assertThat(gateway)
        .containsPattern("gridrun_jobs_submitted_total\\{[^}]*outcome=\"accepted\"[^}]*\\} [1-9]");
  }

  @Test
  void everyServiceReportsItselfHealthy() throws Exception {
    for (var service : stack.ports().entrySet()) {
      GridrunClient.Answer health;
      try {
        health =
            new GridrunClient(java.net.URI.create("http://127.0.0.1:" + service.getValue()))
                .get("/actuator/health");
      } catch (java.io.IOException e) {
        throw new AssertionError(service.getKey() + " did not answer its health check", e);
      }
      assertThat(health.status()).as(service.getKey() + " " + health.body()).isEqualTo(200);
      assertThat(health.json()).as(service.getKey()).containsEntry("status", "UP");
    }
  }

  private String scrape(int port) throws Exception {
    GridrunClient.Answer answer =
        new GridrunClient(java.net.URI.create("http://localhost:" + port), stack.token())
            .get("/actuator/prometheus");
    assertThat(answer.status()).isEqualTo(200);
    return answer.body();
  }

  @Test
  void aJobWhoseEnvironmentImageDoesNotExistFailsWithThatReason() throws Exception {
    assertThat(
            api.put("/api/v1/environments/ghost", "{\"image\": \"gridrun/no-such-image:1\"}")
                .status())
        .isEqualTo(200);
    oneStepProject("ghost", "a", "ghost", false, "true\n");

    String id =
        submit("{\"name\": \"ghost\", \"project\": \"ghost\", \"pipeline\": \"p.pipeline.json\"}");

    Map<String, Object> job =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () -> api.get("/api/v1/jobs/" + id).json(), j -> "FAILURE".equals(j.get("status")));
    assertThat((String) job.get("reason"))
        .contains("image 'gridrun/no-such-image:1' of environment 'ghost' does not exist");
    assertThat(job.get("finishedAt")).isNotNull();
  }

  @Test
  void theResultsTableComparesEveryRunsMetricsAcrossTheGrid() throws Exception {
    Path results = home.resolve("projects/results");
    Files.createDirectories(results);
    Files.writeString(
        results.resolve("p.pipeline.json"),
        """
        { "parameters": { "a": 1, "b": 0.5 },
          "steps": [ { "id": "train", "file": "train.sh", "environment": "busybox" } ] }
        """);
    Files.writeString(
        results.resolve("train.sh"),
        """
        loss=$(awk -v a="$GRIDRUN_PARAM_A" -v b="$GRIDRUN_PARAM_B" 'BEGIN { printf "%.1f", a * 10 + b }')
        printf '{"loss": %s, "model": "m%s"}' "$loss" "$GRIDRUN_PARAM_A" > "$GRIDRUN_METRICS_FILE"
        """);
    String id =
        submit(
            """
        { "name": "results", "project": "results", "pipeline": "p.pipeline.json",
          "grid": { "pipeline": { "a": [3, 1, 2], "b": [0.5, 0.1, 0.3] } } }
        """);
    Map<String, Object> job =
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () -> api.get("/api/v1/jobs/" + id).json(), j -> "SUCCESS".equals(j.get("status")));

    Map<String, Object> loss = map(map(job.get("best")).get("train.loss"));
    assertThat(map(loss.get("min"))).containsEntry("index", 4).containsEntry("value", 10.1);
    assertThat(map(loss.get("max"))).containsEntry("index", 0).containsEntry("value", 30.5);

    Map<String, Object> ascending =
        api.get("/api/v1/jobs/" + id + "/results?sort=train.loss&order=asc").json();
    assertThat(list(ascending.get("items")))
        .extracting(r -> r.get("index"))
        .containsExactly(4, 5, 3, 7, 8, 6, 1, 2, 0);
    assertThat(ascending.get("total")).isEqualTo(9);
    assertThat(map(map(list(ascending.get("items")).get(0).get("metrics")).get("train")))
        .containsEntry("loss", 10.1)
        .containsEntry("model", "m1");
    Map<String, Object> page =
        api.get("/api/v1/jobs/" + id + "/results?sort=train.loss&order=desc&page=1&size=4").json();
    assertThat(list(page.get("items"))).extracting(r -> r.get("index")).containsExactly(8, 7, 3, 5);
    Map<String, Object> byParameter =
        api.get("/api/v1/jobs/" + id + "/results?sort=b&order=asc&batch=0").json();
    assertThat(list(byParameter.get("items")))
        .extracting(r -> r.get("index"))
        .containsExactly(1, 4, 7, 2, 5, 8, 0, 3, 6);

    GridrunClient.Answer csv = api.get("/api/v1/jobs/" + id + "/results.csv?sort=train.loss");
    assertThat(csv.status()).isEqualTo(200);
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "index,run_id,batch,status,param.a,param.b,metric.train.loss,metric.train.model");
    assertThat(lines[1]).isEqualTo("4," + id + "-r0000004,0,SUCCESS,1,0.1,10.1,m1");
    assertThat(lines).hasSize(10);
    assertThat(api.get("/api/v1/jobs/" + id + "/results?order=sideways").status()).isEqualTo(400);
  }

  /** A .tar.gz of a project with {@code hello.pipeline.json}: one step that echoes "uploaded". */
  private static byte[] helloArchive() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes))) {
      byte[] pipeline =
          "{\"steps\": [{\"id\": \"hello\", \"file\": \"hello.sh\", \"environment\": \"busybox\"}]}"
              .getBytes();
      byte[] script = "echo uploaded\n".getBytes();
      for (var file : Map.of("hello.pipeline.json", pipeline, "hello.sh", script).entrySet()) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(file.getKey());
        entry.setSize(file.getValue().length);
        tar.putArchiveEntry(entry);
        tar.write(file.getValue());
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  @Test
  void aProjectUploadedAsTarGzIsListedAndUsable() throws Exception {
    byte[] archive = helloArchive();

    GridrunClient.Answer uploaded =
        api.put("/api/v1/projects/uploaded", archive, "application/gzip");
    GridrunClient.Answer wrongType = api.put("/api/v1/projects/uploaded", archive, "text/plain");

    assertThat(uploaded.status()).isEqualTo(200);
    assertThat(uploaded.json()).containsEntry("files", 2);
    assertThat(wrongType.status()).isEqualTo(415);
    assertThat(list(api.get("/api/v1/projects/uploaded/pipelines").json().get("items")))
        .extracting(i -> i.get("path"))
        .containsExactly("hello.pipeline.json");
    String id =
        submit(
            "{\"name\": \"up\", \"project\": \"uploaded\", \"pipeline\": \"hello.pipeline.json\"}");
    awaitJob(id, "SUCCESS", 60);
    assertThat(api.get("/api/v1/runs/" + id + "-r0000000/steps/hello/logs").body())
        .isEqualTo("uploaded\n");
  }

  @Test
  void projectVariablesSetThroughTheGatewayApplyBelowThePipelinesAndTheJobs() throws Exception {
    Path dir = home.resolve("projects/withenv");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        "{\"env\": {\"Q\": \"pipeline\", \"R\": \"pipeline\"}, \"steps\": [{\"id\":"
            + " \"show\", \"file\": \"show.sh\", \"environment\": \"busybox\"}]}");
    Files.writeString(dir.resolve("show.sh"), "echo \"MODE=$MODE P=$P Q=$Q R=$R\"\n");
    String vars =
        "{\"MODE\": \"project\", \"P\": \"project\", \"Q\": \"project\", \"R\": \"project\"}";

    GridrunClient.Answer put = api.put("/api/v1/projects/withenv/env", vars);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
    assertThat(put.json()).containsEntry("project", "withenv");
    GridrunClient.Answer got = api.get("/api/v1/projects/withenv/env");
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json())
        .containsEntry("project", "withenv")
        .containsEntry(
            "env", Map.of("MODE", "project", "P", "project", "Q", "project", "R", "project"));
    GridrunClient.Answer badName = api.put("/api/v1/projects/withenv/env", "{\"1X\": \"v\"}");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body()).doesNotContain("Exception");
    assertThat(api.put("/api/v1/projects/withenv/env", "{\"A\": 1}").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/projects/no-such-project/env").status()).isEqualTo(404);
    assertThat(api.get("/api/v1/projects/withenv/env").json().get("env"))
        .as("a refused PUT changes nothing")
        .isEqualTo(Map.of("MODE", "project", "P", "project", "Q", "project", "R", "project"));

    String id =
        submit(
            "{\"name\": \"withenv\", \"project\": \"withenv\", \"pipeline\":"
                + " \"p.pipeline.json\", \"env\": {\"R\": \"job\"}}");
    awaitJob(id, "SUCCESS", 60);

    // environment < project < pipeline < job
    assertThat(api.get("/api/v1/runs/" + id + "-r0000000/steps/show/logs").body())
        .isEqualTo("MODE=project P=project Q=pipeline R=job\n");
  }

  @Test
  void cancellingAJobStopsItsRunningContainerAndAbortsEveryRun() throws Exception {
    oneStepProject("slow", "wait", "busybox", true, "echo waiting; sleep 60\n");
    String id =
        submit(
            """
        { "name": "slow", "project": "slow", "pipeline": "p.pipeline.json",
          "grid": { "pipeline": { "n": [1, 2, 3] } }, "maxParallelRuns": 1 }
        """);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> runsOf(api, id).stream().anyMatch(r -> "STARTED".equals(r.get("status"))));

    assertThat(api.post("/api/v1/jobs/" + id + "/pause", "").status()).isEqualTo(409);
    assertThat(api.post("/api/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(202);

    Map<String, Object> job =
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () -> api.get("/api/v1/jobs/" + id).json(), j -> "ABORTED".equals(j.get("status")));
    assertThat(job.get("runCounts"))
        .isEqualTo(Map.of("PENDING", 0, "STARTED", 0, "SUCCESS", 0, "FAILURE", 0, "ABORTED", 3));
    assertThat(runsOf(api, id)).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("ABORTED"));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Process ps =
                  new ProcessBuilder("docker", "ps", "-q", "--filter", "label=gridrun.job=" + id)
                      .start();
              assertThat(new String(ps.getInputStream().readAllBytes()).trim()).isEmpty();
            });
    GridrunClient.Answer again = api.post("/api/v1/jobs/" + id + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
    assertThat(String.valueOf(again.json().get("detail"))).contains("already ended ABORTED");
  }

  @Test
  void aCronJobFiresEveryFewSecondsAndGoesThroughPauseTriggerResumeAndCancel() throws Exception {
    oneStepProject("ticking", "tick", "busybox", true, "echo \"tick n=$GRIDRUN_PARAM_N\"\n");
    String id =
        submit(
            """
        { "name": "ticking", "project": "ticking", "pipeline": "p.pipeline.json",
          "grid": { "pipeline": { "n": [1, 2] } },
          "schedule": { "cron": "*/3 * * * * *", "timezone": "Europe/Amsterdam", "overlap": "forbid" } }
        """);

    // two real firings, each a batch of the whole grid that runs to completion
    await().atMost(Duration.ofSeconds(60)).until(() -> batches(id) >= 2);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                runsOf(api, id).stream()
                    .anyMatch(
                        r ->
                            ((Number) r.get("batch")).intValue() >= 1
                                && "SUCCESS".equals(r.get("status"))));
    Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
    assertThat(job)
        .containsEntry("status", "STARTED")
        .containsEntry("timezone", "Europe/Amsterdam");
    assertThat(job.get("nextRunAt")).isNotNull();

    assertThat(api.post("/api/v1/jobs/" + id + "/pause", "").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> "PAUSED".equals(status(id)));
    int paused = batches(id);
    Thread.sleep(7_000); // two firings' worth of time: none may start a batch
    assertThat(batches(id)).isEqualTo(paused);

    assertThat(api.post("/api/v1/jobs/" + id + "/trigger", "").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> batches(id) == paused + 1);
    assertThat(status(id)).isEqualTo("PAUSED");

    assertThat(api.post("/api/v1/jobs/" + id + "/resume", "").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(60)).until(() -> batches(id) >= paused + 2);
    assertThat(status(id)).isEqualTo("STARTED");

    assertThat(api.post("/api/v1/jobs/" + id + "/cancel", "").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(30)).until(() -> "ABORTED".equals(status(id)));
    int cancelled = batches(id);
    assertThat(api.get("/api/v1/jobs/" + id).json().get("nextRunAt")).isNull();
    Thread.sleep(4_000);
    assertThat(batches(id)).isEqualTo(cancelled);
    assertThat(api.post("/api/v1/jobs/" + id + "/resume", "").status()).isEqualTo(409);
  }

  @Test
  void followingAStepsLogStreamsLinesWhileItRunsAndEndsWhenItEnds() throws Exception {
    oneStepProject(
        "talky", "talk", "busybox", false, "echo one; sleep 3; echo two; sleep 3; printf three\n");
    String id =
        submit("{\"name\": \"talky\", \"project\": \"talky\", \"pipeline\": \"p.pipeline.json\"}");
    String runId = id + "-r0000000";
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> api.get("/api/v1/runs/" + runId).status() == 200);

    var http = java.net.http.HttpClient.newHttpClient();
    var lines =
        http.send(
                java.net.http.HttpRequest.newBuilder(
                        stack
                            .gatewayUrl()
                            .resolve("/api/v1/runs/" + runId + "/steps/talk/logs?follow=true"))
                    .header("Authorization", "Bearer " + stack.token())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofLines())
            .body()
            .iterator();
    assertThat(lines.next()).isEqualTo("one");
    // the first line arrived while the step still ran
    assertThat(api.get("/api/v1/runs/" + runId).json().get("status")).isEqualTo("STARTED");
    assertThat(lines.next()).isEqualTo("two");
    assertThat(lines.next()).isEqualTo("three");
    assertThat(lines.hasNext()).as("the stream ends with the step").isFalse();
    assertThat(api.get("/api/v1/runs/" + runId).json().get("status")).isEqualTo("SUCCESS");
  }

  @Test
  void deletingAJobRemovesItItsRunsLogsAndSnapshot() throws Exception {
    String id =
        submit(
            """
        { "name": "doomed", "project": "e2e", "pipeline": "sweep.pipeline.json",
          "grid": { "pipeline": { "lr": [0.1] } } }
        """);
    awaitJob(id, "SUCCESS", 60);
    String snapshot = (String) api.get("/api/v1/jobs/" + id).json().get("snapshotId");
    assertThat(api.get("/api/v1/snapshots/" + snapshot).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/runs/" + id + "-r0000000/steps/prep/logs").status()).isEqualTo(200);

    GridrunClient.Answer deleted = api.delete("/api/v1/jobs/" + id);

    assertThat(deleted.status()).isEqualTo(202);
    assertThat(api.get("/api/v1/jobs/" + id).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/runs/" + id + "-r0000000").status()).isEqualTo(404);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("/api/v1/snapshots/" + snapshot).status() == 404);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !Files.exists(home.resolve("logs").resolve(id + "-r0000000")));
    assertThat(api.delete("/api/v1/jobs/" + id).status()).isEqualTo(404);
  }

  @Test
  void laterCronBatchesRunTheImagePinnedAtCreationEvenAfterTheTagMoves() throws Exception {
    docker("tag", IMAGE, "gridrun/retag:test");
    assertThat(
            api.put("/api/v1/environments/retag", "{\"image\": \"gridrun/retag:test\"}").status())
        .isEqualTo(200);
    oneStepProject("pinned", "which", "retag", false, "cat /marker 2>/dev/null || echo original\n");
    String id =
        submit(
            """
        { "name": "pinned", "project": "pinned", "pipeline": "p.pipeline.json",
          "schedule": { "cron": "*/2 * * * * *", "overlap": "forbid" } }
        """);
    await().atMost(Duration.ofSeconds(60)).until(() -> succeededBatches(id) >= 1);

    // rebuild the tag: same name, another image with a marker file
    removeContainer("retag-build");
    docker(
        "run",
        "--name",
        "retag-build",
        "--network",
        "none",
        IMAGE,
        "sh",
        "-c",
        "echo rebuilt > /marker");
    docker("commit", "retag-build", "gridrun/retag:test");
    removeContainer("retag-build");
    int before = succeededBatches(id);
    await().atMost(Duration.ofSeconds(60)).until(() -> succeededBatches(id) >= before + 2);
    api.post("/api/v1/jobs/" + id + "/cancel", "");

    for (Map<String, Object> run : runsOf(api, id)) {
      if ("SUCCESS".equals(run.get("status"))) {
        assertThat(api.get("/api/v1/runs/" + run.get("id") + "/steps/which/logs").body())
            .as("run of batch " + run.get("batch"))
            .isEqualTo("original\n");
      }
    }
    // a job created now pins the rebuilt image
    String fresh =
        submit("{\"name\": \"fresh\", \"project\": \"pinned\", \"pipeline\": \"p.pipeline.json\"}");
    await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCESS".equals(status(fresh)));
    assertThat(api.get("/api/v1/runs/" + fresh + "-r0000000/steps/which/logs").body())
        .isEqualTo("rebuilt\n");
  }

  private int succeededBatches(String jobId) throws Exception {
    return (int) runsOf(api, jobId).stream().filter(r -> "SUCCESS".equals(r.get("status"))).count();
  }

  /**
   * Writes project {@code name} with a pipeline {@code p.pipeline.json} of one step running {@code
   * script} (as {@code <step>.sh}); with {@code parameterN}, the pipeline has a parameter {@code
   * n}.
   */
  private static void oneStepProject(
      String name, String step, String environment, boolean parameterN, String script)
      throws IOException {
    Path dir = home.resolve("projects/" + name);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        "{"
            + (parameterN ? "\"parameters\": {\"n\": 0}, " : "")
            + "\"steps\": [{\"id\": \""
            + step
            + "\", \"file\": \""
            + step
            + ".sh\", \"environment\": \""
            + environment
            + "\"}]}");
    Files.writeString(dir.resolve(step + ".sh"), script);
  }

  private String submit(String json) throws Exception {
    GridrunClient.Answer answer = api.post("/api/v1/jobs", json);
    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
    return (String) answer.json().get("id");
  }

  private void awaitJob(String jobId, String status, int seconds) {
    await().atMost(Duration.ofSeconds(seconds)).until(() -> status.equals(status(jobId)));
  }

  private int batches(String jobId) throws Exception {
    return ((Number) api.get("/api/v1/jobs/" + jobId).json().get("batches")).intValue();
  }

  private String status(String jobId) throws Exception {
    return (String) api.get("/api/v1/jobs/" + jobId).json().get("status");
  }

  @Test
  void aRejectedJobGetsAProblemDetailAndPublishesNothing() throws Exception {
    long before = totalJobs();

    GridrunClient.Answer unknownProject =
        api.post("/api/v1/jobs", "{\"name\":\"x\",\"project\":\"nope\",\"pipeline\":\"p.json\"}");
    GridrunClient.Answer notAList =
        api.post(
            "/api/v1/jobs",
            "{\"name\":\"x\",\"project\":\"e2e\",\"pipeline\":\"sweep.pipeline.json\","
                + "\"grid\":{\"pipeline\":{\"lr\":0.1}}}");
    GridrunClient.Answer malformed = api.post("/api/v1/jobs", "{\"name\": ");

    assertThat(unknownProject.status()).isEqualTo(400);
    assertThat(String.valueOf(unknownProject.json().get("detail"))).contains("nope");
    assertThat(notAList.status()).isEqualTo(400);
    assertThat(String.valueOf(notAList.json().get("detail")))
        .contains("grid.pipeline.lr must be a list");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(api.get("/api/v1/jobs/j-unknown").status()).isEqualTo(404);
    Thread.sleep(500);
    assertThat(totalJobs()).isEqualTo(before);
  }

  private long totalJobs() throws Exception {
    return ((Number) api.get("/api/v1/jobs").json().get("total")).longValue();
  }

  @Test
  void aProjectUploadedAsOctetStreamIsAcceptedLikeGzip() throws Exception {
    GridrunClient.Answer uploaded =
        api.put("/api/v1/projects/uploaded-raw", helloArchive(), "application/octet-stream");

    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
    assertThat(uploaded.json()).containsEntry("name", "uploaded-raw").containsEntry("files", 2);
    assertThat(list(api.get("/api/v1/projects/uploaded-raw/pipelines").json().get("items")))
        .extracting(i -> i.get("path"))
        .containsExactly("hello.pipeline.json");
    assertThat(home.resolve("projects/uploaded-raw/hello.sh")).hasContent("echo uploaded");
  }

  @Test
  void aPreviewShowsTheRunsOfARequestAndCreatesNoJob() throws Exception {
    long before = totalJobs();

    GridrunClient.Answer preview =
        api.post(
            "/api/v1/jobs:preview",
            """
            { "name": "looking", "project": "e2e", "pipeline": "sweep.pipeline.json",
              "grid": { "pipeline": { "lr": [0.1, 0.01] }, "steps": { "prep": { "rows": [10, 20] } } },
              "exclude": [ { "pipeline": { "lr": 0.01 }, "steps": { "prep": { "rows": 10 } } } ] }
            """);
    GridrunClient.Answer bad =
        api.post("/api/v1/jobs/preview", "{\"name\": \"x\", \"project\": \"nope\"}");

    assertThat(preview.status()).as(preview.body()).isEqualTo(200);
    assertThat(preview.json()).containsEntry("total", 3).containsEntry("gridSize", 4);
    assertThat(list(preview.json().get("items")))
        .extracting(i -> i.get("index"), i -> i.get("gridIndex"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, 0),
            org.assertj.core.groups.Tuple.tuple(1, 1),
            org.assertj.core.groups.Tuple.tuple(2, 3));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json()).containsKey("detail");
    assertThat(totalJobs()).isEqualTo(before);
  }

  @Test
  void cancellingOneRunOverHttpAbortsItWhileTheJobsOtherRunsGoOn() throws Exception {
    // run 0 would sleep for a minute; the others wait until the test releases them
    oneStepProject(
        "one-cancelled",
        "work",
        "busybox",
        true,
        """
        echo "run $GRIDRUN_PARAM_N started"
        if [ "$GRIDRUN_PARAM_N" = 1 ]; then sleep 60; fi
        while [ ! -f "$GRIDRUN_DATA/one-cancelled.release" ]; do sleep 1; done
        echo "run $GRIDRUN_PARAM_N released"
        """);
    String id =
        submit(
            """
        { "name": "one-cancelled", "project": "one-cancelled", "pipeline": "p.pipeline.json",
          "grid": { "pipeline": { "n": [1, 2, 3] } } }
        """);
    String cancelled = id + "-r0000000";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              // all three there and started (allMatch alone holds before the runs exist)
              List<Map<String, Object>> runs = runsOf(api, id);
              return runs.size() == 3
                  && runs.stream().allMatch(r -> "STARTED".equals(r.get("status")));
            });

    GridrunClient.Answer cancel = api.post("/api/v1/runs/" + cancelled + "/cancel", "");

    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    Map<String, Object> run =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> api.get("/api/v1/runs/" + cancelled).json(),
                r -> "ABORTED".equals(r.get("status")));
    assertThat(run.get("reason")).isEqualTo("run cancelled");
    assertThat(list(run.get("steps")).get(0)).containsEntry("status", "ABORTED");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> docker("ps", "-q", "--filter", "label=gridrun.run=" + cancelled).isEmpty());
    // the job and its other runs went on
    assertThat(runsOf(api, id))
        .extracting(r -> r.get("status"))
        .containsExactly("ABORTED", "STARTED", "STARTED");
    assertThat(status(id)).isEqualTo("STARTED");

    Files.writeString(home.resolve("data/one-cancelled.release"), "go\n");
    awaitJob(id, "FAILURE", 20);
    assertThat(api.get("/api/v1/jobs/" + id).json().get("runCounts"))
        .isEqualTo(Map.of("PENDING", 0, "STARTED", 0, "SUCCESS", 2, "FAILURE", 0, "ABORTED", 1));
    assertThat(api.get("/api/v1/runs/" + id + "-r0000002/steps/work/logs").body())
        .contains("run 3 released");
    GridrunClient.Answer again = api.post("/api/v1/runs/" + cancelled + "/cancel", "");
    assertThat(again.status()).isEqualTo(409);
  }

  @Test
  void aDuplicateRunsOnAFreshSnapshotOfTheEditedProjectAndDropsParametersThePipelineLost()
      throws Exception {
    Path dir = home.resolve("projects/duplicated");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "n": 0, "old": 0 },
          "steps": [ { "id": "show", "file": "show.sh", "environment": "busybox" } ] }
        """);
    Files.writeString(
        dir.resolve("show.sh"),
        "echo \"version=$(cat version.txt) n=$GRIDRUN_PARAM_N old=${GRIDRUN_PARAM_OLD:-none}\"\n");
    Files.writeString(dir.resolve("version.txt"), "v1\n");
    String original =
        submit(
            """
        { "name": "duplicated", "project": "duplicated", "pipeline": "p.pipeline.json",
          "grid": { "pipeline": { "n": [1], "old": [7] } }, "env": { "KEPT": "yes" } }
        """);
    awaitJob(original, "SUCCESS", 30);
    String originalSnapshot = (String) api.get("/api/v1/jobs/" + original).json().get("snapshotId");

    // the project moves on: another version, and the pipeline lost its parameter `old`
    Files.writeString(dir.resolve("version.txt"), "v2\n");
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "n": 0 },
          "steps": [ { "id": "show", "file": "show.sh", "environment": "busybox" } ] }
        """);
    GridrunClient.Answer duplicated = api.post("/api/v1/jobs/" + original + "/duplicate", "");

    assertThat(duplicated.status()).as(duplicated.body()).isEqualTo(202);
    assertThat(duplicated.json()).containsEntry("status", "PENDING");
    String copy = (String) duplicated.json().get("id");
    assertThat(copy).isNotEqualTo(original);
    awaitJob(copy, "SUCCESS", 30);
    Map<String, Object> job = api.get("/api/v1/jobs/" + copy).json();
    assertThat(job).containsEntry("name", "duplicated").containsEntry("env", Map.of("KEPT", "yes"));
    assertThat(map(map(job.get("grid")).get("pipeline"))).containsOnlyKeys("n");
    assertThat(job.get("snapshotId")).isNotNull().isNotEqualTo(originalSnapshot);
    assertThat(map(runsOf(api, copy).get(0).get("parameters")).get("pipeline"))
        .isEqualTo(Map.of("n", 1));
    assertThat(api.get("/api/v1/runs/" + copy + "-r0000000/steps/show/logs").body())
        .isEqualTo("version=v2 n=1 old=none\n");
    assertThat(api.get("/api/v1/snapshots/" + job.get("snapshotId") + "/files/version.txt").body())
        .isEqualTo("v2\n");

    // the original keeps its own snapshot and what it ran
    assertThat(api.get("/api/v1/jobs/" + original).json().get("snapshotId"))
        .isEqualTo(originalSnapshot);
    assertThat(api.get("/api/v1/snapshots/" + originalSnapshot + "/files/version.txt").body())
        .isEqualTo("v1\n");
    assertThat(api.get("/api/v1/runs/" + original + "-r0000000/steps/show/logs").body())
        .isEqualTo("version=v1 n=1 old=7\n");
    assertThat(api.post("/api/v1/jobs/j-unknown/duplicate", "").status()).isEqualTo(404);
  }

  @Test
  void theStatusTopicCarriesEachTransitionOfARunInOrderWithItsBatch() throws Exception {
    oneStepProject("observed", "look", "busybox", false, "echo looked\n");
    String id =
        submit(
            "{\"name\": \"observed\", \"project\": \"observed\", \"pipeline\": \"p.pipeline.json\"}");
    awaitJob(id, "SUCCESS", 30);
    String runId = id + "-r0000000";

    // the job's events, once its final one is on the topic
    List<com.fasterxml.jackson.databind.JsonNode> events =
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    StatusStreamContract.readAll(stack.kafkaBootstrap()).stream()
                        .filter(e -> id.equals(e.path("jobId").asText()))
                        .toList(),
                e -> "SUCCESS".equals(StatusStreamContract.finalJobStatuses(e).get(id)));

    assertThat(transitions(events, "run.status"))
        .containsExactly("PENDING -> STARTED", "STARTED -> SUCCESS");
    assertThat(events)
        .filteredOn(e -> "run.status".equals(e.path("type").asText()))
        .allSatisfy(
            e -> {
              assertThat(e.path("runId").asText()).isEqualTo(runId);
              assertThat(e.path("batch").isInt()).isTrue();
              assertThat(e.path("batch").asInt()).isZero();
              assertThat(e.path("stepId").isNull()).isTrue();
              assertThat(e.path("reason").isNull()).isTrue();
            });
    assertThat(transitions(events, "step.status"))
        .containsExactly("PENDING -> STARTED", "STARTED -> SUCCESS");
    assertThat(events)
        .filteredOn(e -> "step.status".equals(e.path("type").asText()))
        .allSatisfy(
            e -> {
              assertThat(e.path("stepId").asText()).isEqualTo("look");
              assertThat(e.path("batch").asInt()).isZero();
            });
    assertThat(transitions(events, "job.status"))
        .containsExactly("null -> PENDING", "PENDING -> STARTED", "STARTED -> SUCCESS");
    assertThat(events)
        .filteredOn(e -> "job.status".equals(e.path("type").asText()))
        .allSatisfy(e -> assertThat(e.path("batch").isNull()).isTrue());
    // the job's final event (STARTED -> SUCCESS, after its run's) is the last one of the job
    assertThat(events.get(events.size() - 1).path("type").asText()).isEqualTo("job.status");
    assertThat(events.stream().map(e -> e.path("eventId").asText()).distinct().count())
        .isEqualTo(events.size());
  }

  /** {@code previousStatus -> status} of every event of that type, in topic order. */
  private static List<String> transitions(
      List<com.fasterxml.jackson.databind.JsonNode> events, String type) {
    return events.stream()
        .filter(e -> type.equals(e.path("type").asText()))
        .map(
            e ->
                (e.path("previousStatus").isNull() ? "null" : e.path("previousStatus").asText())
                    + " -> "
                    + e.path("status").asText())
        .toList();
  }

  @Test
  void aWebhookPointingNowhereRecordsFailedAttemptsAndDoesNotDelayAJob() throws Exception {
    int closedPort;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    GridrunClient.Answer registered =
        api.post(
            "/api/v1/webhooks",
            "{\"url\": \"http://127.0.0.1:"
                + closedPort
                + "/hook\", \"events\": [\"job.succeeded\"], \"secret\": \"s\"}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    String webhook = (String) registered.json().get("id");
    try {
      oneStepProject("hooked", "quick", "busybox", false, "echo quick\n");
      String id =
          submit(
              "{\"name\": \"hooked\", \"project\": \"hooked\", \"pipeline\": \"p.pipeline.json\"}");
      awaitJob(id, "SUCCESS", 30);

      Map<String, Object> delivery =
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      list(
                              api.get("/api/v1/webhooks/" + webhook + "/deliveries")
                                  .json()
                                  .get("items"))
                          .stream()
                          .filter(d -> "job.succeeded".equals(d.get("event")))
                          .filter(d -> ((Number) d.get("attempts")).intValue() >= 1)
                          .findFirst()
                          .orElse(null),
                  java.util.Objects::nonNull);
      assertThat(delivery.get("outcome")).isIn("PENDING", "FAILED");
      assertThat(delivery.get("statusCode")).isNull();
      assertThat(String.valueOf(delivery.get("lastError"))).containsIgnoringCase("refused");
    } finally {
      api.delete("/api/v1/webhooks/" + webhook);
    }
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.job.JobServiceApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 6's restart guarantee: job-service, a JVM of its own, is killed with {@code kill -9} while
 * it expands a large job and dispatches another one, and started again. Expansion resumes where it
 * stopped (exactly the job's number of runs exist at the end), and every run of the executed job
 * runs exactly once. Steps run as local processes; each leaves one mark per execution in {@code
 * /data}.
 */
class JobServiceRestartEndToEndTest {

  private static final int BIG_A = 100;
  private static final int BIG_B = 100;
  private static final int BIG = BIG_A * BIG_B;
  private static final int EXECUTED = 60;
  private static final Path LOGS = Path.of("target", "job-service-restart");

  @TempDir Path home;
  private LocalStack stack;
  private ChildService jobService;

  @AfterEach
  void stop() throws InterruptedException {
    if (jobService != null) {
      jobService.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void killedMidExpansionAndMidDispatchJobServiceResumesWithEveryRunOnceAndNoneTwice()
      throws Exception {
    stack =
        LocalStack.infrastructure(
            new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, false)
                .withRunners(2));
    Files.createDirectories(LOGS);
    Files.deleteIfExists(LOGS.resolve("job-service.log"));
    jobService = ChildService.start(jobServiceSpec(), Duration.ofMinutes(3));
    stack.withServices(jobService.url());
    GridrunClient api = stack.client();
    assertThat(api.put("/api/v1/environments/sh", "{\"image\": \"gridrun/busybox:test\"}").status())
        .isEqualTo(200);
    writeProject();

    // a job being executed, a few runs at a time, well under way
    String executed =
        submit(api, "executed", "\"n\": " + range(EXECUTED) + ", \"sleep\": [0.3]", 6);
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> count(api, executed, "SUCCESS") >= 12);
    // a big job: kill job-service while it writes the big job's runs
    String big = submit(api, "big", "\"n\": " + range(BIG_A) + ", \"m\": " + range(BIG_B), 1);
    long materialized =
        await()
            .atMost(Duration.ofSeconds(120))
            .pollInterval(Duration.ofMillis(25))
            .until(() -> materialized(api, big), m -> m > 0);
    long executedBefore = count(api, executed, "SUCCESS");
    assertThat(jobService.kill()).isEqualTo(ChildService.KILLED);
    assertThat(materialized).as("killed while expanding").isLessThan(BIG);
    assertThat(executedBefore).as("killed while dispatching").isLessThan(EXECUTED - 6);

    jobService = jobService.relaunch();
    jobService.awaitHealthy(Duration.ofMinutes(3));

    // the big job: exactly its runs, no more, no fewer
    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> materialized(api, big) == BIG);
    assertThat(api.get("/api/v1/jobs/" + big + "/runs?size=1").json().get("total")).isEqualTo(BIG);
    assertThat(api.get("/api/v1/runs/" + runId(big, BIG - 1)).status()).isEqualTo(200);
    assertThat(api.get("/api/v1/runs/" + runId(big, BIG)).status()).isEqualTo(404);
    assertThat(api.post("/api/v1/jobs/" + big + "/cancel", "{}").status()).isEqualTo(202);

    // the executed job: every run succeeded, each executed exactly once
    Map<String, Object> job;
    try {
      job =
          await()
              .atMost(Duration.ofSeconds(180))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> api.get("/api/v1/jobs/" + executed).json(),
                  j -> List.of("SUCCESS", "FAILURE", "ABORTED").contains(j.get("status")));
    } catch (ConditionTimeoutException e) {
      // CI shows only the assertion: what the runs and job-service say goes into it
      throw new AssertionError(
          "the executed job did not end; "
              + unfinishedRuns(api, executed)
              + "\njob-service's warnings:\n"
              + warnings(LOGS.resolve("job-service.log")),
          e);
    }
    assertThat(job.get("status")).as("job %s", job).isEqualTo("SUCCESS");
    assertThat(count(job, "SUCCESS")).isEqualTo(EXECUTED);
    Path marks = home.resolve("data/restart").resolve(executed);
    try (Stream<Path> files = Files.list(marks)) {
      List<Path> runs = files.toList();
      assertThat(runs).hasSize(EXECUTED);
      for (Path run : runs) {
        assertThat(Files.readAllLines(run)).as("executions of " + run.getFileName()).hasSize(1);
      }
    }
  }

  /** The job's runs that have not succeeded: id, status, attempt and reason. */
  private static String unfinishedRuns(GridrunClient api, String jobId) throws Exception {
    StringBuilder lines = new StringBuilder("runs not succeeded:");
    for (Map<String, Object> run :
        TestSupport.list(
            api.get("/api/v1/jobs/" + jobId + "/runs?size=" + EXECUTED).json().get("items"))) {
      if (!"SUCCESS".equals(run.get("status"))) {
        lines.append("\n  ").append(run);
      }
    }
    return lines.toString();
  }

  /** The last warnings and errors of a service's log. */
  private static String warnings(Path log) throws IOException {
    if (!Files.exists(log)) {
      return "(no log)";
    }
    List<String> lines =
        Files.readAllLines(log).stream()
            .filter(line -> line.contains(" WARN ") || line.contains(" ERROR "))
            .toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private ChildService.Spec jobServiceSpec() {
    return new ChildService.Spec(
        "job-service",
        JobServiceApplication.class.getName(),
        List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
        Map.of(
            "spring.kafka.bootstrap-servers",
            stack.kafkaBootstrap(),
            "spring.mongodb.uri",
            stack.mongoUri("gridrun-jobs"),
            // small rounds, so that a kill lands in the middle of them
            "gridrun.jobs.expansion-batch",
            "100",
            "gridrun.jobs.dispatch-batch",
            "5",
            // the killed process's consumers leave the group after 6 s (the broker's minimum),
            // not Kafka's default 45 s, so the process started in its place gets their partitions
            // sooner; what is checked after the restart is the same
            "spring.kafka.consumer.properties.session.timeout.ms",
            "6000",
            "spring.kafka.consumer.properties.heartbeat.interval.ms",
            "1000",
            // leases of 15 s (30 s by default; a starting job-service expires none during its first
            // lease timeout): a run lost with the kill is requested again that much sooner
            "gridrun.jobs.lease-timeout",
            "15s",
            "gridrun.jobs.lease-check",
            "1s"),
        LOGS.resolve("job-service.log"));
  }

  private void writeProject() throws IOException {
    Path dir = home.resolve("projects/restart");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "n": 0, "m": 0, "sleep": 0 },
          "steps": [ { "id": "work", "file": "work.sh", "environment": "sh" } ] }
        """);
    Files.writeString(
        dir.resolve("work.sh"),
        """
        set -eu
        mkdir -p "$GRIDRUN_DATA/restart/$GRIDRUN_JOB_ID"
        sleep "$GRIDRUN_PARAM_SLEEP"
        echo done >> "$GRIDRUN_DATA/restart/$GRIDRUN_JOB_ID/$GRIDRUN_RUN_ID"
        """);
  }

  /** Submits a job of the restart project; {@code grid}: the pipeline parameters' value lists. */
  private static String submit(GridrunClient api, String name, String grid, int maxParallelRuns)
      throws Exception {
    String body =
        """
        { "name": "%s", "project": "restart", "pipeline": "p.pipeline.json",
          "grid": { "pipeline": { %s } }, "maxParallelRuns": %d }
        """
            .formatted(name, grid, maxParallelRuns);
    GridrunClient.Answer created = api.post("/api/v1/jobs", body);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return (String) created.json().get("id");
  }

  private static long materialized(GridrunClient api, String jobId) throws Exception {
    Object value = api.get("/api/v1/jobs/" + jobId).json().get("materializedRuns");
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static long count(GridrunClient api, String jobId, String status) throws Exception {
    return count(api.get("/api/v1/jobs/" + jobId).json(), status);
  }

  @SuppressWarnings("unchecked")
  private static long count(Map<String, Object> job, String status) {
    Object counts = job.get("runCounts");
    return counts == null ? 0 : ((Number) ((Map<String, Object>) counts).get(status)).longValue();
  }

  private static String range(int size) {
    StringBuilder values = new StringBuilder("[");
    for (int i = 0; i < size; i++) {
      values.append(i == 0 ? "" : ", ").append(i);
    }
    return values.append("]").toString();
  }

  private static String runId(String jobId, long seq) {
    return String.format("%s-r%07d", jobId, seq);
  }
}

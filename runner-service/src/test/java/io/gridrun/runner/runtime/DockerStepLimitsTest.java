package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.RetryPolicy;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.pipeline.StepResources;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timeouts, retries, memory limits and the log cap on the real Docker engine; fails (never skips)
 * without one.
 */
class DockerStepLimitsTest {

  static DockerRuntime docker;
  static DockerClient inspector;

  @TempDir Path temp;

  FileSystemBlobStore blobs;
  StepLogStore logs;
  final RecordedEvents events = new RecordedEvents();

  @BeforeAll
  static void engine() {
    docker = new DockerRuntime(DockerRuntimeTest.HOST);
    assertThat(docker.available())
        .as("a Docker engine must answer at " + DockerRuntimeTest.HOST)
        .isTrue();
    inspector = DockerRuntimeTest.inspector();
  }

  @AfterAll
  static void closeClients() throws Exception {
    docker.close();
    inspector.close();
  }

  @BeforeEach
  void stores() {
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    logs = new StepLogStore(temp.resolve("logs"));
  }

  private RunExecutor executor(long maxLogBytes) {
    return new RunExecutor(
        new RunExecutor.Parts(docker, blobs, logs, events, new Cancellations()),
        new RunExecutor.Settings(
            temp.resolve("work"),
            temp.resolve("data"),
            "test-runner",
            4,
            65536,
            maxLogBytes,
            null,
            null),
        Clock.systemUTC());
  }

  private RunRequested run(Map<String, String> files, String timeout, StepDefinition... steps) {
    return TestRuns.run(
        TestRuns.snapshot(blobs, files),
        new PipelineDefinition("limits", Map.of(), Map.of(), List.of(steps), timeout, null));
  }

  private static StepDefinition step(
      String id,
      String timeout,
      RetryPolicy retries,
      StepResources resources,
      String... dependsOn) {
    return new StepDefinition(
        id,
        id + ".sh",
        "busybox",
        Arrays.asList(dependsOn),
        null,
        null,
        timeout,
        retries,
        resources,
        null,
        null);
  }

  private String log(RunRequested run, String step) throws Exception {
    return Files.readString(logs.pathOf(run.runId(), step));
  }

  private List<?> containersOf(RunRequested run) {
    return inspector
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(StepLaunch.LABEL_RUN, run.runId()))
        .exec();
  }

  @Test
  void aStepOverItsTimeoutIsKilledFailsWithReasonTimeoutAndLeavesNoContainer() throws Exception {
    RunRequested run =
        run(Map.of("slow.sh", "echo started\nsleep 60\n"), null, step("slow", "1s", null, null));
    long start = System.nanoTime();

    executor(1 << 20).execute(run);

    StepFinished slow = events.finished("slow");
    assertThat(slow.status()).as(log(run, "slow")).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(slow.reason()).isEqualTo("timeout");
    assertThat(slow.exitCode()).isEqualTo(137);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    assertThat(log(run, "slow"))
        .contains("started")
        .contains("gridrun: killed: the step's timeout 1s passed");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(containersOf(run)).isEmpty());
  }

  @Test
  void theRunTimeoutKillsTheRunningStepAndAbortsTheStepsNotStarted() throws Exception {
    RunRequested run =
        run(
            Map.of("slow.sh", "sleep 60\n", "after.sh", "true\n"),
            "2s",
            step("slow", null, null, null),
            step("after", null, null, null, "slow"));
    long start = System.nanoTime();

    executor(1 << 20).execute(run);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    StepFinished slow = events.finished("slow");
    assertThat(slow.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(slow.reason()).isEqualTo("timeout");
    StepFinished after = events.finished("after");
    assertThat(after.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(after.reason()).isEqualTo("timeout");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(containersOf(run)).isEmpty());
  }

  @Test
  void retriesWithGrowingWaitsAndKeepsEveryAttemptsOutputInTheStepLog() throws Exception {
    // fails twice, then succeeds: the count survives in the run's working copy
    String flaky =
        """
        n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
        echo "try $n"
        [ "$n" -ge 3 ] || exit 7
        """;
    RunRequested run =
        run(
            Map.of("flaky.sh", flaky),
            null,
            step("flaky", null, new RetryPolicy(3, "300ms", 4.0), null));

    executor(1 << 20).execute(run);

    StepFinished finished = events.finished("flaky");
    assertThat(finished.status()).as(log(run, "flaky")).isEqualTo(ExecutionStatus.SUCCESS);
    List<StepAttempt> attempts = finished.attempts();
    assertThat(attempts).extracting(StepAttempt::exitCode).containsExactly(7, 7, 0);
    assertThat(attempts)
        .extracting(StepAttempt::reason)
        .containsExactly("exit code 7", "exit code 7", null);
    Duration firstWait =
        Duration.between(attempts.get(0).finishedAt(), attempts.get(1).startedAt());
    Duration secondWait =
        Duration.between(attempts.get(1).finishedAt(), attempts.get(2).startedAt());
    assertThat(firstWait).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(secondWait).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
    Duration firstGap = Duration.between(attempts.get(0).startedAt(), attempts.get(1).startedAt());
    Duration secondGap = Duration.between(attempts.get(1).startedAt(), attempts.get(2).startedAt());
    assertThat(secondGap).isGreaterThan(firstGap);
    String log = log(run, "flaky");
    assertThat(log)
        .containsSubsequence(
            "--- attempt 1 of 4 ---",
            "try 1",
            "--- attempt 2 of 4 ---",
            "try 2",
            "--- attempt 3 of 4 ---",
            "try 3");
    assertThat(log).doesNotContain("attempt 4 of 4");
  }

  @Test
  void aStepOverItsMemoryLimitFailsWithReasonOutOfMemory() throws Exception {
    RunRequested run =
        run(
            Map.of("hungry.sh", "x=$(head -c 200000000 /dev/zero | tr '\\0' a)\necho survived\n"),
            null,
            step("hungry", null, null, new StepResources(0.5, "16m")));

    executor(1 << 20).execute(run);

    StepFinished hungry = events.finished("hungry");
    assertThat(hungry.status()).as(log(run, "hungry")).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(hungry.reason()).isEqualTo("out of memory");
    assertThat(hungry.exitCode()).isEqualTo(137);
    assertThat(log(run, "hungry"))
        .doesNotContain("survived")
        .contains("gridrun: killed by the kernel for exceeding the memory limit 16m");
  }

  @Test
  void aStepPrintingFarMoreThanTheCapSucceedsWithATruncatedLog() throws Exception {
    int cap = 64 * 1024;
    RunRequested run =
        run(
            Map.of("loud.sh", "head -c 20000000 /dev/zero | tr '\\0' a\necho done-at-the-end\n"),
            null,
            step("loud", null, null, null));

    executor(cap).execute(run);

    assertThat(events.finished("loud").status()).isEqualTo(ExecutionStatus.SUCCESS);
    Path file = logs.pathOf(run.runId(), "loud");
    assertThat(Files.size(file)).isBetween((long) cap, cap + 200L);
    String log = Files.readString(file);
    assertThat(log).startsWith("aaaa").doesNotContain("done-at-the-end");
    assertThat(log.lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo(
            "gridrun: log truncated at 65536 bytes (gridrun.runner.max-log-bytes); the rest of"
                + " the output was discarded");
  }
}

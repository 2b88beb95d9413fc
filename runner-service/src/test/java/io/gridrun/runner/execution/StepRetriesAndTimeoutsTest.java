package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.RetryPolicy;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Timeouts, retries and step parallelism of a run, with steps as Java code. */
class StepRetriesAndTimeoutsTest {

  @TempDir Path temp;

  private StepLogStore logs;
  private final FakeRuntime runtime = new FakeRuntime();
  private final RecordedEvents events = new RecordedEvents();
  private final Cancellations cancellations = new Cancellations();
  private FileSystemBlobStore blobs;
  private String manifest;

  @BeforeEach
  void snapshot() {
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    logs = new StepLogStore(temp.resolve("logs"));
    manifest = TestRuns.snapshot(blobs, Map.of("input.txt", "x"));
  }

  private RunExecutor executor(int stepParallelism) {
    return new RunExecutor(
        new RunExecutor.Parts(runtime, blobs, logs, events, cancellations),
        new RunExecutor.Settings(
            temp.resolve("work"), temp.resolve("data"), "runner-1", stepParallelism, 1024),
        Clock.systemUTC());
  }

  private static StepDefinition step(
      String id, String timeout, RetryPolicy retries, String... dependsOn) {
    return new StepDefinition(
        id,
        id + ".sh",
        "busybox",
        Arrays.asList(dependsOn),
        null,
        null,
        timeout,
        retries,
        null,
        null,
        null);
  }

  private static PipelineDefinition pipeline(
      String timeout, Integer maxStepParallelism, StepDefinition... steps) {
    return new PipelineDefinition(
        "test", Map.of(), Map.of(), List.of(steps), timeout, maxStepParallelism);
  }

  private String log(RunRequested run, String step) throws Exception {
    return Files.readString(logs.pathOf(run.runId(), step));
  }

  private static long millisBetween(FakeRuntime.Span earlier, FakeRuntime.Span later) {
    return TimeUnit.NANOSECONDS.toMillis(later.start() - earlier.start());
  }

  @Test
  void retriesAFailedStepWithGrowingWaitsAndRecordsEveryAttempt() throws Exception {
    runtime.exitsInTurn("train", 3, 4, 0);
    RunRequested run =
        TestRuns.run(
            manifest, pipeline(null, null, step("train", null, new RetryPolicy(3, "100ms", 3.0))));

    executor(4).execute(run);

    StepFinished train = events.finished("train");
    assertThat(train.status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(train.exitCode()).isZero();
    assertThat(train.reason()).isNull();
    assertThat(train.attempts())
        .extracting(StepAttempt::attempt, StepAttempt::exitCode, StepAttempt::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 3, "exit code 3"),
            org.assertj.core.groups.Tuple.tuple(2, 4, "exit code 4"),
            org.assertj.core.groups.Tuple.tuple(3, 0, null));
    assertThat(train.attempts())
        .allSatisfy(a -> assertThat(a.finishedAt()).isAfterOrEqualTo(a.startedAt()));
    assertThat(train.startedAt()).isBeforeOrEqualTo(train.attempts().get(0).startedAt());
    List<FakeRuntime.Span> spans = runtime.spans("train");
    assertThat(spans).hasSize(3);
    long firstWait = millisBetween(spans.get(0), spans.get(1));
    long secondWait = millisBetween(spans.get(1), spans.get(2));
    assertThat(firstWait).isGreaterThanOrEqualTo(100);
    assertThat(secondWait).isGreaterThanOrEqualTo(300).isGreaterThan(firstWait);
    assertThat(log(run, "train"))
        .contains("--- attempt 1 of 4 ---")
        .contains("gridrun: attempt 1 failed (exit code 3); attempt 2 starts in 100 ms")
        .contains("--- attempt 2 of 4 ---")
        .contains("attempt 3 starts in 300 ms")
        .contains("--- attempt 3 of 4 ---")
        .doesNotContain("attempt 4 of 4");
  }

  @Test
  void aContainerIsClosedOnlyOnceItsStepsEndIsRecordedAndAFailedAttemptsBeforeTheNextAttempt() {
    RunRequested run =
        TestRuns.run(
            manifest, pipeline(null, null, step("train", null, new RetryPolicy(1, "10ms", 1.0))));
    Path recorded = temp.resolve("work").resolve(run.runId()).resolve("records");
    List<String> atClose = new java.util.concurrent.CopyOnWriteArrayList<>();
    runtime.closedOnceEndRecorded(
        step ->
            atClose.add(
                "attempts run: "
                    + runtime.spans(step).size()
                    + ", end recorded: "
                    + Files.exists(recorded.resolve(step + ".finished.json"))));
    runtime.exitsInTurn("train", 3, 0);

    executor(4).execute(run);

    assertThat(events.finished("train").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(atClose)
        .containsExactly(
            "attempts run: 1, end recorded: false", "attempts run: 2, end recorded: true");
  }

  @Test
  void givesUpAfterTheLastRetryWithItsReasonAndAbortsDownstream() {
    runtime.exits("train", 5);
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(
                null,
                null,
                step("train", null, new RetryPolicy(2, "10ms", 1.0)),
                step("report", null, null, "train")));

    executor(4).execute(run);

    StepFinished train = events.finished("train");
    assertThat(train.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(train.exitCode()).isEqualTo(5);
    assertThat(train.reason()).isEqualTo("exit code 5");
    assertThat(train.attempts()).hasSize(3);
    assertThat(runtime.spans("train")).hasSize(3);
    assertThat(events.finished("report").reason()).isEqualTo("upstream step failed");
  }

  @Test
  void aStepWithoutRetriesHasOneAttemptAndNoAttemptLines() throws Exception {
    runtime.exits("train", 2);
    RunRequested run = TestRuns.run(manifest, pipeline(null, null, step("train", null, null)));

    executor(4).execute(run);

    assertThat(events.finished("train").attempts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.attempt()).isEqualTo(1);
              assertThat(a.exitCode()).isEqualTo(2);
              assertThat(a.reason()).isEqualTo("exit code 2");
            });
    assertThat(log(run, "train")).doesNotContain("--- attempt");
  }

  @Test
  void doesNotRetryAnImageThatDoesNotExist() {
    runtime.cannotEverLaunch("train", "image not found: gone:1");
    RunRequested run =
        TestRuns.run(
            manifest, pipeline(null, null, step("train", null, new RetryPolicy(3, "10ms", 1.0))));

    executor(4).execute(run);

    StepFinished train = events.finished("train");
    assertThat(train.reason()).isEqualTo("image not found: gone:1");
    assertThat(train.exitCode()).isNull();
    assertThat(train.attempts()).singleElement().extracting(StepAttempt::exitCode).isNull();
  }

  @Test
  void retriesALaunchFailureThatMayPass() {
    runtime.cannotLaunch("train", "could not create the container: engine busy");
    RunRequested run =
        TestRuns.run(
            manifest, pipeline(null, null, step("train", null, new RetryPolicy(1, "10ms", 1.0))));

    executor(4).execute(run);

    assertThat(events.finished("train").attempts()).hasSize(2);
  }

  @Test
  void aStepOverItsTimeoutIsKilledAndFailsWithReasonTimeout() throws Exception {
    runtime.hangs("slow");
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(null, null, step("slow", "200ms", null), step("after", null, null, "slow")));

    executor(4).execute(run);

    StepFinished slow = events.finished("slow");
    assertThat(slow.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(slow.reason()).isEqualTo("timeout");
    assertThat(slow.exitCode()).isEqualTo(137);
    assertThat(Duration.between(slow.startedAt(), slow.finishedAt()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(log(run, "slow")).contains("gridrun: killed: the step's timeout 200ms passed");
    assertThat(events.finished("after").reason()).isEqualTo("upstream step failed");
  }

  @Test
  void aTimedOutAttemptIsRetried() {
    runtime.hangs("slow");
    RunRequested run =
        TestRuns.run(
            manifest, pipeline(null, null, step("slow", "100ms", new RetryPolicy(1, "10ms", 1.0))));

    executor(4).execute(run);

    assertThat(events.finished("slow").attempts())
        .extracting(StepAttempt::reason)
        .containsExactly("timeout", "timeout");
  }

  @Test
  void theRunTimeoutKillsRunningStepsEndsWaitingRetriesAndAbortsTheRest() {
    runtime.hangs("slow");
    runtime.exits("flaky", 1);
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(
                "500ms",
                null,
                step("slow", "1h", null),
                step("flaky", null, new RetryPolicy(3, "1h", 1.0)),
                step("after", null, null, "slow")));
    long start = System.nanoTime();

    executor(4).execute(run);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    StepFinished slow = events.finished("slow");
    assertThat(slow.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(slow.reason()).isEqualTo("timeout");
    assertThat(slow.attempts())
        .singleElement()
        .extracting(StepAttempt::reason)
        .isEqualTo("timeout");
    StepFinished flaky = events.finished("flaky");
    assertThat(flaky.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(flaky.reason()).isEqualTo("timeout");
    assertThat(flaky.attempts())
        .singleElement()
        .extracting(StepAttempt::reason)
        .isEqualTo("exit code 1");
    StepFinished after = events.finished("after");
    assertThat(after.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(after.reason()).isEqualTo("timeout");
    assertThat(events.hasStarted("after")).isFalse();
  }

  @Test
  void cancellingARunWaitingToRetryAbortsTheStepAtOnce() {
    runtime.exits("flaky", 1);
    RunRequested run =
        TestRuns.run(
            manifest, pipeline(null, null, step("flaky", null, new RetryPolicy(3, "1h", 1.0))));

    CompletableFuture<Void> execution = CompletableFuture.runAsync(() -> executor(4).execute(run));
    await().atMost(Duration.ofSeconds(10)).until(() -> runtime.spans("flaky").size() == 1);
    cancellations.cancel(run.jobId(), run.runId());

    await().atMost(Duration.ofSeconds(10)).until(execution::isDone);
    StepFinished flaky = events.finished("flaky");
    assertThat(flaky.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(flaky.reason()).isEqualTo("cancelled");
    assertThat(flaky.attempts()).hasSize(1);
  }

  @Test
  void thePipelinesMaxStepParallelismBoundsTheRunBelowTheRunnersLimit() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CyclicBarrier pairs = new CyclicBarrier(2);
    FakeRuntime.Behaviour counted =
        (launch, out) -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          pairs.await(10, TimeUnit.SECONDS);
          running.decrementAndGet();
          return 0;
        };
    for (String id : List.of("a", "b", "c", "d", "e", "f")) {
      runtime.on(id, counted);
    }

    executor(6)
        .execute(
            TestRuns.run(
                manifest,
                pipeline(
                    null,
                    2,
                    step("a", null, null),
                    step("b", null, null),
                    step("c", null, null),
                    step("d", null, null),
                    step("e", null, null),
                    step("f", null, null))));

    assertThat(events.all().stream().filter(StepFinished.class::isInstance))
        .allMatch(e -> ((StepFinished) e).status() == ExecutionStatus.SUCCESS)
        .hasSize(6);
    assertThat(most.get()).isEqualTo(2);
  }
}

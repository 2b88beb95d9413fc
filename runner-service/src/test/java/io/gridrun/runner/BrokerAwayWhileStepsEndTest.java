package io.gridrun.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.lease.FencedEvents;
import io.gridrun.runner.lease.Heartbeats;
import io.gridrun.runner.runtime.ProcessRuntime;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14's broker outage on the runner's side: its broker stops acknowledging while a run's step
 * ends, for longer than the runner waits before giving an attempt up. An attempt whose every step
 * ended keeps its outcome and reports it once the broker is back, without {@code run.abandoned} and
 * without running anything again; an attempt with a step still to start is given up as before. Real
 * runner parts (heartbeats on the housekeeping threads, the executor, local processes), a broker
 * that stops answering and comes back.
 */
class BrokerAwayWhileStepsEndTest {

  /** Given up 8 s after the last acknowledged heartbeat: the 1 s steps end well before. */
  private static final Duration LEASE = Duration.ofSeconds(12);

  /** Marks each execution's start and end in {@code /data/<run>.<step>}, 1 s apart. */
  private static final String STEP =
      """
      echo started >> "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.$GRIDRUN_STEP_ID"
      sleep 1
      echo ended >> "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.$GRIDRUN_STEP_ID"
      """;

  @TempDir Path temp;

  private volatile boolean brokerAnswers = true;
  private final List<GridrunEvent> acknowledged = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<GridrunEvent, CompletableFuture<Void>>> stalled =
      new CopyOnWriteArrayList<>();
  private Housekeeping housekeeping;
  private AttemptsInFlight inFlight;
  private RunExecutor executor;
  private Path data;
  private Heartbeats heartbeats;

  /** The broker: acknowledges while it answers; what is sent while it is away waits. */
  private synchronized CompletableFuture<Void> send(GridrunEvent event) {
    if (!brokerAnswers) {
      CompletableFuture<Void> waiting = new CompletableFuture<>();
      stalled.add(Map.entry(event, waiting));
      return waiting;
    }
    acknowledged.add(event);
    return CompletableFuture.completedFuture(null);
  }

  /**
   * The broker is back. {@code delivered}: what waited is delivered now, as a producer does whose
   * broker returns within its delivery timeout; else it failed, as after that timeout.
   */
  private synchronized void brokerBack(boolean delivered) {
    brokerAnswers = true;
    for (Map.Entry<GridrunEvent, CompletableFuture<Void>> send : stalled) {
      if (delivered) {
        acknowledged.add(send.getKey());
        send.getValue().complete(null);
      } else {
        send.getValue().completeExceptionally(new IllegalStateException("delivery timed out"));
      }
    }
    stalled.clear();
  }

  @AfterEach
  void stop() {
    if (housekeeping != null) {
      housekeeping.stop();
    }
  }

  private void startRunner() throws Exception {
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    data = temp.resolve("data");
    inFlight = new AttemptsInFlight();
    Cancellations cancellations = new Cancellations();
    executor =
        new RunExecutor(
            new RunExecutor.Parts(
                new ProcessRuntime(),
                blobs,
                new StepLogStore(temp.resolve("logs")),
                new FencedEvents(
                    event -> {
                      try {
                        send(event).get(30, TimeUnit.SECONDS);
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    },
                    inFlight),
                cancellations),
            new RunExecutor.Settings(temp.resolve("work"), data, "runner-a", 4, 65536),
            Clock.systemUTC());
    heartbeats =
        new Heartbeats(
                inFlight,
                cancellations,
                this::send,
                "runner-a",
                Duration.ofSeconds(1),
                Clock.systemUTC())
            .reportingEndedAttempts(executor::recordedOutcome);
    housekeeping = new Housekeeping(heartbeats, new ProcessRuntime(), Duration.ofMinutes(1));
    housekeeping.start();
  }

  private RunRequested run(PipelineDefinition pipeline, String... steps) {
    Map<String, String> files = new java.util.HashMap<>();
    for (String step : steps) {
      files.put(step + ".sh", STEP);
    }
    String manifest = TestRuns.snapshot(new FileSystemBlobStore(temp.resolve("blobs")), files);
    return TestRuns.attempt(TestRuns.run(manifest, pipeline), 1, LEASE);
  }

  private CompletableFuture<Void> execute(RunRequested run) {
    return CompletableFuture.runAsync(
        () -> {
          inFlight.begin(run, Instant.now());
          try {
            executor.execute(run);
          } finally {
            inFlight.end(run);
          }
        },
        runnable -> new Thread(runnable, "run-slot").start());
  }

  private List<String> marks(RunRequested run, String step) throws Exception {
    Path file = data.resolve(run.runId() + "." + step);
    return Files.exists(file) ? Files.readAllLines(file) : List.of();
  }

  private boolean givenUp() {
    return inFlight.all().stream().anyMatch(AttemptsInFlight.Attempt::abandoned);
  }

  private <T extends GridrunEvent> List<T> acknowledged(Class<T> type) {
    List<T> found = new ArrayList<>();
    acknowledged.stream().filter(type::isInstance).map(type::cast).forEach(found::add);
    return found;
  }

  @Test
  void anAttemptWhoseStepsEndedWhileTheBrokerWasAwayReportsItsOutcomeOnceItIsBack()
      throws Exception {
    startRunner();
    RunRequested run = run(TestRuns.pipeline(TestRuns.step("a"), TestRuns.step("b")), "a", "b");
    CompletableFuture<Void> execution = execute(run);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !marks(run, "a").isEmpty() && !marks(run, "b").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> !acknowledged(RunHeartbeat.class).isEmpty());

    brokerAnswers = false; // stopped while both steps run
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> marks(run, "a").contains("ended") && marks(run, "b").contains("ended"));
    await().atMost(LEASE.multipliedBy(2)).until(this::givenUp);
    assertThat(acknowledged(StepFinished.class)).isEmpty();

    // back, and what was sent while it was away was lost: the outcome comes from the records
    brokerBack(false);
    execution.get(30, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> acknowledged(StepFinished.class).size() == 2);

    assertThat(acknowledged(StepFinished.class))
        .as("every step's end, once")
        .extracting(StepFinished::stepId)
        .containsExactlyInAnyOrder("a", "b");
    assertThat(acknowledged(StepFinished.class))
        .allSatisfy(
            end -> {
              assertThat(end.status()).isEqualTo(ExecutionStatus.SUCCESS);
              assertThat(end.attempt()).isEqualTo(1);
            });
    assertThat(acknowledged(RunAbandoned.class)).isEmpty();
    assertThat(marks(run, "a")).as("step a ran once").containsExactly("started", "ended");
    assertThat(marks(run, "b")).as("step b ran once").containsExactly("started", "ended");
    // the run's next attempt, which job-service requested if it saw the lease expire first, is
    // not executed here: job-service ends the run with the outcome reported before it
    assertThat(heartbeats.supersededByReportedOutcome(TestRuns.attempt(run, 2, LEASE))).isTrue();
    assertThat(heartbeats.supersededByReportedOutcome(TestRuns.attempt(run, 3, LEASE))).isFalse();
    // a few turns of the guard: nothing is reported twice
    await()
        .during(Duration.ofMillis(1500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> acknowledged(StepFinished.class).size() == 2);
  }

  @Test
  void anAttemptWithAStepNotStartedWhenItIsGivenUpIsAbandonedAndTheStepNeverStarts()
      throws Exception {
    startRunner();
    RunRequested run =
        run(TestRuns.pipeline(TestRuns.step("a"), TestRuns.step("b", "a")), "a", "b");
    CompletableFuture<Void> execution = execute(run);
    await().atMost(Duration.ofSeconds(30)).until(() -> !marks(run, "a").isEmpty());
    await().atMost(Duration.ofSeconds(5)).until(() -> !acknowledged(RunHeartbeat.class).isEmpty());

    brokerAnswers = false; // a ends while it is away; b waits for a's end to be acknowledged
    await().atMost(Duration.ofSeconds(10)).until(() -> marks(run, "a").contains("ended"));
    await().atMost(LEASE.multipliedBy(2)).until(this::givenUp);

    brokerBack(true);
    execution.get(30, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> !acknowledged(RunAbandoned.class).isEmpty());
    assertThat(marks(run, "b")).as("b never started").isEmpty();
    assertThat(heartbeats.supersededByReportedOutcome(TestRuns.attempt(run, 2, LEASE))).isFalse();
    assertThat(acknowledged(StepFinished.class))
        .as("only a's end, sent before the attempt was given up")
        .extracting(StepFinished::stepId)
        .containsExactly("a");
  }
}

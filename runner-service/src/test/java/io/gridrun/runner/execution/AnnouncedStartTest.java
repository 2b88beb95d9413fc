package io.gridrun.runner.execution;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's {@code run.started} and a step's {@code step.started} are sent without waiting, so that
 * the broker acknowledges them while the working copy is made and the container created; the step
 * itself starts only once both are acknowledged, and never when either cannot be published.
 */
class AnnouncedStartTest {

  @TempDir Path temp;

  private final FakeRuntime runtime = new FakeRuntime();
  private final Acks events = new Acks();
  private final Cancellations cancellations = new Cancellations();
  private final AtomicBoolean ran = new AtomicBoolean();
  private final AtomicBoolean taken = new AtomicBoolean();
  private RunExecutor executor;
  private RunRequested run;

  /** Records events at once; their acknowledgements come when the test says. */
  private static final class Acks extends RecordedEvents {
    final Map<Class<?>, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Void> send(GridrunEvent event) {
      publish(event);
      return pending.computeIfAbsent(event.getClass(), type -> new CompletableFuture<>());
    }
  }

  @BeforeEach
  void oneStepRun() {
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    StepLogStore logs = new StepLogStore(temp.resolve("logs"));
    run = TestRuns.run(TestRuns.snapshot(blobs, Map.of("input.txt", "x")), pipeline(step("only")));
    runtime.on(
        "only",
        (launch, out) -> {
          ran.set(true);
          return 0;
        });
    executor =
        new RunExecutor(
            new RunExecutor.Parts(runtime, blobs, logs, events, cancellations),
            new RunExecutor.Settings(
                temp.resolve("work"), temp.resolve("data"), "runner-1", 1, 1024),
            Clock.systemUTC());
  }

  /** Executes the run in the background until its step's container is prepared. */
  private CompletableFuture<Void> executeUntilPrepared() {
    CompletableFuture<Void> execution =
        CompletableFuture.runAsync(() -> executor.execute(run, () -> taken.set(true)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> runtime.preparations.contains("prepared only"));
    return execution;
  }

  @Test
  void theStepIsPreparedWhileItsStartsAreAcknowledgedAndStartsOnlyOnceBothAre() {
    CompletableFuture<Void> execution = executeUntilPrepared();

    // created while neither start is acknowledged
    assertThat(events.hasStarted("only")).isTrue();
    assertThat(taken).as("request taken before run.started is acknowledged").isFalse();
    events.pending.get(RunStarted.class).complete(null);
    await().atMost(Duration.ofSeconds(10)).untilTrue(taken);
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilFalse(ran);

    events.pending.get(StepStarted.class).complete(null);

    execution.join();
    assertThat(ran).isTrue();
    assertThat(events.finished("only").status()).isEqualTo(ExecutionStatus.SUCCESS);
  }

  @Test
  void aRunWhoseStartCannotBePublishedStartsNoStepAndRemovesWhatItPrepared() {
    CompletableFuture<Void> execution = executeUntilPrepared();

    events.pending.get(StepStarted.class).complete(null);
    events
        .pending
        .get(RunStarted.class)
        .completeExceptionally(new IllegalStateException("broker away"));

    assertThatThrownBy(execution::join).hasRootCauseMessage("broker away");
    assertThat(ran).isFalse();
    assertThat(taken).isFalse();
    assertThat(runtime.preparations).containsExactly("prepared only", "discarded only");
    assertThat(events.finishedIfAny("only")).isEmpty();
  }

  @Test
  void anAttemptGivenUpWhileItsStartWaitedNeverStartsItsStep() {
    CompletableFuture<Void> execution = executeUntilPrepared();

    cancellations.stopLaunches(run.runId(), run.attempt());
    events.pending.values().forEach(ack -> ack.complete(null));

    execution.join();
    assertThat(ran).isFalse();
    assertThat(runtime.preparations).containsExactly("prepared only", "discarded only");
    assertThat(events.finished("only").status()).isEqualTo(ExecutionStatus.ABORTED);
  }
}

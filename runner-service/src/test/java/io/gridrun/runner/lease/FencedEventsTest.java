package io.gridrun.runner.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepStarted;
import io.gridrun.runner.TestRuns;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Sends without waiting keep the fence of waiting publishes. */
class FencedEventsTest {

  private final AttemptsInFlight inFlight = new AttemptsInFlight();
  private final List<GridrunEvent> sent = new CopyOnWriteArrayList<>();
  private CompletableFuture<Void> broker = new CompletableFuture<>();
  private final FencedEvents events =
      new FencedEvents(
          sent::add,
          event -> {
            sent.add(event);
            return broker;
          },
          inFlight);

  private final RunRequested run = TestRuns.run("m", TestRuns.pipeline(TestRuns.step("s")));

  private StepStarted stepStarted() {
    return new StepStarted("e", run.jobId(), run.runId(), "s", Instant.now(), run.attempt());
  }

  @Test
  void aSendCompletesWithTheBrokersAcknowledgementAndFailsWithItsFailure() {
    AttemptsInFlight.Attempt attempt = inFlight.begin(run, Instant.now());

    CompletableFuture<Void> acknowledged = events.send(stepStarted());
    assertThat(sent).hasSize(1);
    assertThat(acknowledged).isNotDone();
    broker.complete(null);
    assertThat(acknowledged).isCompleted();

    broker = CompletableFuture.failedFuture(new IllegalStateException("broker away"));
    assertThat(events.send(stepStarted())).isCompletedExceptionally();
    assertThat(attempt.abandoned()).isFalse();
  }

  @Test
  void aSendOfAnAttemptGivenUpIsDroppedAndItsFailureAfterTheGiveUpIsNoFailure() {
    AttemptsInFlight.Attempt attempt = inFlight.begin(run, Instant.now());
    CompletableFuture<Void> inTheAir = events.send(stepStarted());

    assertThat(inFlight.abandon(attempt)).isTrue();
    broker.completeExceptionally(new IllegalStateException("broker away"));

    assertThat(inTheAir).isCompleted();
    assertThat(events.send(stepStarted())).isCompleted();
    assertThat(sent).hasSize(1); // the second was never sent
  }
}

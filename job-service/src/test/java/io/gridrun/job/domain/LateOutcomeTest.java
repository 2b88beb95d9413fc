package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.StepFinished;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LateOutcomeTest {

  private static final Instant T0 = TwoStepRun.T0;

  /** A run of two steps requested again as attempt 2 after attempt 1 was lost. */
  private static RunRecord requestedAgain() {
    return TwoStepRun.pending(2, "attempt 1 lost: runner r sent no heartbeat for PT30S");
  }

  private static StepFinished end(String step, ExecutionStatus status, int attempt) {
    boolean ok = status == ExecutionStatus.SUCCESS;
    return TwoStepRun.finished(step, status, ok ? 0 : 3, ok ? null : "exit code 3", attempt);
  }

  @Test
  void anEndOfTheAttemptBeforeTheCurrentOneCountsOnlyWhileTheCurrentOneHasNotStarted() {
    RunRecord run = requestedAgain();
    StepFinished late = end("prep", ExecutionStatus.SUCCESS, 1);
    RunLease waiting = RunLease.requested(run.id(), "j", 2, T0, Duration.ofMinutes(10));
    RunLease started = RunLease.heardFrom(run.id(), "j", 2, "r2", T0, Duration.ofSeconds(30));

    assertThat(LateOutcome.counts(run, Optional.empty(), late)).isTrue();
    assertThat(LateOutcome.counts(run, Optional.of(waiting), late)).isTrue();
    assertThat(LateOutcome.counts(run, Optional.of(started), late)).isFalse();
    assertThat(
            LateOutcome.counts(run.withStatus(ExecutionStatus.STARTED), Optional.of(waiting), late))
        .isFalse();
    assertThat(LateOutcome.counts(run.withAttempt(3), Optional.empty(), late))
        .as("only the attempt right before the current one")
        .isFalse();
    assertThat(LateOutcome.counts(run, Optional.empty(), end("prep", ExecutionStatus.SUCCESS, 2)))
        .as("an end of the current attempt is no late end")
        .isFalse();
  }

  @Test
  void aPartOfTheOutcomeEndsNothingAndTheWholeOutcomeEndsTheRunAtTheCurrentAttemptNumber() {
    RunRecord run = requestedAgain();
    List<StepFinished> ends = LateOutcome.kept(List.of(), end("prep", ExecutionStatus.SUCCESS, 1));
    assertThat(LateOutcome.outcome(run, ends)).isEmpty();

    ends = LateOutcome.kept(ends, end("prep", ExecutionStatus.SUCCESS, 1)); // heard again
    ends = LateOutcome.kept(ends, end("train", ExecutionStatus.FAILURE, 1));
    assertThat(ends).extracting(StepFinished::stepId).containsExactly("prep", "train");

    RunLifecycle.Result result = LateOutcome.outcome(run, ends).orElseThrow();
    assertThat(result.endedRun()).isTrue();
    assertThat(result.run().status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(result.run().reason()).isEqualTo("exit code 3");
    assertThat(result.run().attempt()).isEqualTo(2);
    assertThat(result.run().steps())
        .extracting(StepState::status)
        .containsExactly(ExecutionStatus.SUCCESS, ExecutionStatus.FAILURE);
    assertThat(result.changes())
        .filteredOn(RunLifecycle.Change::ofRun)
        .extracting(RunLifecycle.Change::next)
        .containsExactly(ExecutionStatus.STARTED, ExecutionStatus.FAILURE);
  }

  @Test
  void endsOfAnotherAttemptAreNotKeptWithTheLateOnes() {
    List<StepFinished> ends =
        LateOutcome.kept(
            List.of(end("prep", ExecutionStatus.SUCCESS, 1)),
            end("train", ExecutionStatus.SUCCESS, 2));

    assertThat(ends).extracting(StepFinished::attempt).containsExactly(2);
  }
}

package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LateOutcomeTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

  /** A run of two steps requested again as attempt 2 after attempt 1 was lost. */
  private static RunRecord requestedAgain() {
    return new RunRecord(
        "j-r0000000",
        "j",
        0,
        0L,
        0,
        0,
        ExecutionStatus.PENDING,
        2,
        new RunParameters(Map.of("lr", 0.1), Map.of()),
        List.of(StepState.pending("prep"), StepState.pending("train")),
        null,
        "attempt 1 lost: runner r sent no heartbeat for PT30S",
        null,
        null,
        null);
  }

  private static StepFinished end(String step, ExecutionStatus status, int attempt) {
    return new StepFinished(
        "e-" + step,
        "j",
        "j-r0000000",
        step,
        T0.plusSeconds(5),
        attempt,
        status,
        status == ExecutionStatus.SUCCESS ? 0 : 3,
        status == ExecutionStatus.SUCCESS ? null : "exit code 3",
        T0.plusSeconds(1),
        T0.plusSeconds(5),
        Map.of("loss", 0.2));
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

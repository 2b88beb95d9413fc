package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A run whose attempt was lost starts over; one that cannot be executed fails. */
class RunRecoveryTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

  private static RunRecord halfDone() {
    RunRecord pending =
        new RunRecord(
            "j-r0000000",
            "j",
            0,
            0L,
            0,
            0,
            ExecutionStatus.PENDING,
            1,
            new RunParameters(Map.of(), Map.of()),
            List.of(StepState.pending("prep"), StepState.pending("train")),
            null,
            null,
            null,
            null,
            null);
    RunRecord prepDone =
        RunLifecycle.stepFinished(
                pending,
                new StepFinished(
                    "e",
                    "j",
                    "j-r0000000",
                    "prep",
                    T0,
                    1,
                    ExecutionStatus.SUCCESS,
                    0,
                    null,
                    T0,
                    T0,
                    Map.of("rows", 3)))
            .run();
    return RunLifecycle.stepStarted(
            prepDone, new StepStarted("e", "j", "j-r0000000", "train", T0, 1))
        .run();
  }

  @Test
  void aLostAttemptPutsTheRunAndEveryStepBackToPendingUnderTheNextAttempt() {
    RunLifecycle.Result result =
        RunLifecycle.requeued(halfDone(), "attempt 1 lost: runner r1 sent no heartbeat", T0);

    RunRecord run = result.run();
    assertThat(run.attempt()).isEqualTo(2);
    assertThat(run.status()).isEqualTo(ExecutionStatus.PENDING);
    assertThat(run.steps()).extracting(StepState::status).containsOnly(ExecutionStatus.PENDING);
    assertThat(run.metrics()).isEmpty();
    assertThat(run.startedAt()).isNull();
    assertThat(run.reason()).contains("attempt 1 lost");
    assertThat(result.endedRun()).isFalse();
    assertThat(result.changes())
        .extracting(RunLifecycle.Change::stepId, RunLifecycle.Change::previous)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("prep", ExecutionStatus.SUCCESS),
            org.assertj.core.groups.Tuple.tuple("train", ExecutionStatus.STARTED),
            org.assertj.core.groups.Tuple.tuple(null, ExecutionStatus.STARTED));
  }

  @Test
  void eventsOfTheLostAttemptNoLongerCount() {
    RunRecord requeued = RunLifecycle.requeued(halfDone(), "lost", T0).run();

    assertThat(
            RunLifecycle.stepStarted(
                    requeued, new StepStarted("e", "j", "j-r0000000", "train", T0, 1))
                .changed())
        .isFalse();
    assertThat(
            RunLifecycle.stepStarted(
                    requeued, new StepStarted("e", "j", "j-r0000000", "prep", T0, 2))
                .run()
                .status())
        .isEqualTo(ExecutionStatus.STARTED);
  }

  @Test
  void anUnexecutableRunFailsWithTheReasonKeepingStepsThatEnded() {
    RunLifecycle.Result result =
        RunLifecycle.failed(halfDone(), "rejected by the runner: no manifest", T0);

    assertThat(result.endedRun()).isTrue();
    assertThat(result.run().status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(result.run().reason()).isEqualTo("rejected by the runner: no manifest");
    assertThat(result.run().steps())
        .extracting(StepState::status)
        .containsExactly(ExecutionStatus.SUCCESS, ExecutionStatus.FAILURE);
  }

  @Test
  void anEndedRunIsNeitherRequeuedNorFailed() {
    RunRecord aborted = RunLifecycle.aborted(halfDone(), "cancelled", T0).run();

    assertThat(RunLifecycle.requeued(aborted, "lost", T0).changed()).isFalse();
    assertThat(RunLifecycle.failed(aborted, "rejected", T0).changed()).isFalse();
  }
}

package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunLifecycleTest {

  private static final Instant T0 = TwoStepRun.T0;

  private static RunRecord pendingRun() {
    return TwoStepRun.pending(1, null);
  }

  private static StepFinished finished(
      String step, ExecutionStatus status, Integer exit, String reason, int attempt) {
    return TwoStepRun.finished(step, status, exit, reason, attempt);
  }

  @Test
  void onlyTheRunsStatusOrAStepsEndChangeWhatRunListsFilterAndSortOn() {
    RunRecord started =
        RunLifecycle.stepStarted(
                pendingRun(), new StepStarted("e", "j", "j-r0000000", "prep", T0, 1))
            .run();
    RunLifecycle.Result secondStep =
        RunLifecycle.stepStarted(
            RunLifecycle.stepFinished(
                    started, finished("prep", ExecutionStatus.SUCCESS, 0, null, 1))
                .run(),
            new StepStarted("e", "j", "j-r0000000", "train", T0.plusSeconds(6), 1));
    RunLifecycle.Result stepEnded =
        RunLifecycle.stepFinished(started, finished("prep", ExecutionStatus.SUCCESS, 0, null, 1));

    assertThat(
            RunLifecycle.stepStarted(
                    pendingRun(), new StepStarted("e", "j", "j-r0000000", "prep", T0, 1))
                .changedSummary())
        .as("the run started")
        .isTrue();
    assertThat(stepEnded.changedSummary()).as("a step ended, with its metrics").isTrue();
    assertThat(stepEnded.run().metrics()).isNotEmpty();
    assertThat(secondStep.changed()).isTrue();
    assertThat(secondStep.changedSummary()).as("only a step started in a running run").isFalse();
  }

  @Test
  void aStepStartingStartsTheRun() {
    RunLifecycle.Result result =
        RunLifecycle.stepStarted(
            pendingRun(), new StepStarted("e", "j", "j-r0000000", "prep", T0, 1));

    assertThat(result.run().status()).isEqualTo(ExecutionStatus.STARTED);
    assertThat(result.run().startedAt()).isEqualTo(T0);
    assertThat(result.run().steps().get(0).status()).isEqualTo(ExecutionStatus.STARTED);
    assertThat(result.startedRun()).isTrue();
    assertThat(result.changes()).hasSize(2);
  }

  @Test
  void aRunSucceedsWhenAllItsStepsSucceededAndKeepsTheirMetrics() {
    RunRecord run =
        RunLifecycle.stepFinished(
                pendingRun(), finished("prep", ExecutionStatus.SUCCESS, 0, null, 1))
            .run();

    RunLifecycle.Result result =
        RunLifecycle.stepFinished(run, finished("train", ExecutionStatus.SUCCESS, 0, null, 1));

    assertThat(result.endedRun()).isTrue();
    assertThat(result.run().status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(result.run().reason()).isNull();
    assertThat(result.run().metrics()).containsEntry("train", Map.of("loss", 0.2));
  }

  @Test
  void aFailedStepFailsTheRunOnceTheAbortedDownstreamStepIsReported() {
    RunRecord run =
        RunLifecycle.stepFinished(
                pendingRun(), finished("prep", ExecutionStatus.FAILURE, 3, "exit code 3", 1))
            .run();
    assertThat(run.status()).isEqualTo(ExecutionStatus.STARTED);

    RunLifecycle.Result result =
        RunLifecycle.stepFinished(
            run, finished("train", ExecutionStatus.ABORTED, null, "upstream step failed", 1));

    assertThat(result.run().status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(result.run().reason()).isEqualTo("exit code 3");
    assertThat(result.run().steps())
        .extracting(StepState::status)
        .containsExactly(ExecutionStatus.FAILURE, ExecutionStatus.ABORTED);
  }

  @Test
  void aRedeliveredOrStaleEventChangesNothing() {
    RunRecord done =
        RunLifecycle.stepFinished(
                RunLifecycle.stepFinished(
                        pendingRun(), finished("prep", ExecutionStatus.SUCCESS, 0, null, 1))
                    .run(),
                finished("train", ExecutionStatus.SUCCESS, 0, null, 1))
            .run();

    assertThat(
            RunLifecycle.stepFinished(
                    done, finished("train", ExecutionStatus.FAILURE, 1, "late", 1))
                .changed())
        .isFalse();
    assertThat(
            RunLifecycle.stepStarted(done, new StepStarted("e", "j", "j-r0000000", "train", T0, 1))
                .changed())
        .isFalse();
    assertThat(
            RunLifecycle.started(
                    pendingRun(), new RunStarted("e", "j", "j-r0000000", T0, 2, "other"))
                .changed())
        .isFalse();
    assertThat(
            RunLifecycle.stepFinished(
                    pendingRun(), finished("prep", ExecutionStatus.SUCCESS, 0, null, 2))
                .changed())
        .isFalse();
  }

  @Test
  void cancellingAbortsTheUnfinishedStepsAndTheRunButNotAnEndedRun() {
    RunRecord run =
        RunLifecycle.stepFinished(
                pendingRun(), finished("prep", ExecutionStatus.SUCCESS, 0, null, 1))
            .run();

    RunLifecycle.Result result = RunLifecycle.aborted(run, "job cancelled", T0.plusSeconds(9));

    assertThat(result.run().status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(result.run().steps())
        .extracting(StepState::status)
        .containsExactly(ExecutionStatus.SUCCESS, ExecutionStatus.ABORTED);
    assertThat(RunLifecycle.aborted(result.run(), "again", T0).changed()).isFalse();
  }

  @Test
  void aCancelDecidedBeforeARunnerReportedStartIsNeverAnEndBeforeTheStart() {
    // the runner's clock has sub-millisecond precision, job-service's ticks in milliseconds
    Instant stepStart = T0.plusNanos(400_000);
    RunRecord run =
        RunLifecycle.stepStarted(
                pendingRun(), new StepStarted("e", "j", "j-r0000000", "prep", stepStart, 1))
            .run();

    RunLifecycle.Result result = RunLifecycle.aborted(run, "job cancelled", T0);

    StepState prep = result.run().steps().get(0);
    assertThat(prep.finishedAt()).isEqualTo(stepStart);
    assertThat(result.run().finishedAt()).isAfterOrEqualTo(result.run().startedAt());
    assertThat(result.changes()).allSatisfy(change -> assertThat(change.at()).isAfterOrEqualTo(T0));
  }

  @Test
  void theRunOutcomePrefersFailureOverAbort() {
    assertThat(
            RunLifecycle.outcome(
                List.of(
                    new StepState("a", ExecutionStatus.ABORTED, null, null, null, null),
                    new StepState("b", ExecutionStatus.FAILURE, 1, null, null, null))))
        .isEqualTo(ExecutionStatus.FAILURE);
    assertThat(
            RunLifecycle.outcome(
                List.of(new StepState("a", ExecutionStatus.ABORTED, null, null, null, null))))
        .isEqualTo(ExecutionStatus.ABORTED);
  }
}

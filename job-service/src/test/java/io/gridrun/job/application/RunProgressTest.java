package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunProgressTest {

  private final UseCaseFixture f = new UseCaseFixture();

  @Test
  void runsThatSucceedEndTheJobWithTheirCountsAndBestMetric() {
    f.start("j1", 2, null, null);

    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);
    f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS, 1);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.SUCCESS, 2L);
    assertThat(f.job("j1").best()).containsKey("train.loss");
    assertThat(f.status.changes)
        .contains(
            "run j1-r0000000 PENDING->STARTED",
            "step j1-r0000000/train PENDING->STARTED",
            "step j1-r0000000/train STARTED->SUCCESS",
            "run j1-r0000000 STARTED->SUCCESS",
            "job j1 STARTED->SUCCESS");
  }

  @Test
  void redeliveredRunnerEventsChangeNothingButTheEndTheRunHoldsIsSaidAgain() {
    f.start("j1", 2, null, null);
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);
    int changes = f.status.changes.size();

    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);

    assertThat(f.job("j1").finished()).isEqualTo(1);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    // a crash may have lost the first end's status events after the run was written: the
    // redelivered step end says it again (a start, redelivered, says nothing)
    assertThat(f.status.changes.subList(changes, f.status.changes.size()))
        .containsExactly(
            "step j1-r0000000/train STARTED->SUCCESS", "run j1-r0000000 STARTED->SUCCESS");
  }

  @Test
  void aStepEndThatOvertookItsStartStillEndsTheRun() {
    f.start("j1", 1, null, null);
    List<GridrunEvent> events = f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS);

    f.handle(events.get(2)); // step.finished first
    f.handle(events.get(0));
    f.handle(events.get(1));

    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 1L)
        .containsEntry(ExecutionStatus.STARTED, 0L);
  }

  @Test
  void failFastAbortsTheOtherRunsAtTheFirstFailure() {
    f.start("j1", 4, 2, new JobOptions(null, null, true, null, null));

    f.runEnds(runId("j1", 0), ExecutionStatus.FAILURE, 1);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.FAILURE, 1L)
        .containsEntry(ExecutionStatus.ABORTED, 3L);
    assertThat(f.outbox.sent(RunCancelRequested.class))
        .extracting(RunCancelRequested::runId)
        .containsExactly(runId("j1", 1));
    assertThat(f.requests("j1")).hasSize(2);
  }

  @Test
  void aCrashBetweenTheRunWriteAndTheJobWriteIsCountedOnRedelivery() {
    f.start("j1", 2, null, null);
    List<GridrunEvent> events = f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS);
    f.handle(events.get(0));
    f.handle(events.get(1));
    f.jobs.crashes = 1;

    assertThatThrownBy(() -> f.handle(events.get(2))).hasMessageContaining("crashed");
    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.job("j1").finished()).isZero();

    f.handle(events.get(2)); // redelivered: the run shows it applied, the job did not count it
    assertThat(f.job("j1").finished()).isEqualTo(1);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 1L)
        .containsEntry(ExecutionStatus.STARTED, 0L)
        .containsEntry(ExecutionStatus.PENDING, 1L);

    f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS, 1);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.SUCCESS, 2L);
  }

  @Test
  void aCancelThatCrashedBeforeTheJobWriteCountsEveryAbortedRunOnRedelivery() {
    f.start("j1", 3, null, null);
    JobControlRequested cancel =
        new JobControlRequested(
            UseCaseFixture.id(),
            "j1",
            f.clock.instant(),
            JobControlRequested.Action.CANCEL,
            null,
            null);
    f.jobs.crashes = 1;

    assertThatThrownBy(() -> f.handle(cancel)).hasMessageContaining("crashed");
    f.handle(cancel);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.ABORTED);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.ABORTED, 3L)
        .containsEntry(ExecutionStatus.PENDING, 0L);
    assertThat(f.job("j1").finished()).isEqualTo(3);
  }
}

package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.id;
import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import org.junit.jupiter.api.Test;

class JobCommandsTest {

  private final UseCaseFixture f = new UseCaseFixture();

  @Test
  void cancellingAbortsEveryRunThatHasNotEndedOnce() {
    f.start("j1", 4, 2, null);
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);

    f.control("j1", Action.CANCEL);
    f.control("j1", Action.CANCEL);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.ABORTED);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 1L)
        .containsEntry(ExecutionStatus.ABORTED, 3L)
        .containsEntry(ExecutionStatus.PENDING, 0L);
    assertThat(f.outbox.sent(RunCancelRequested.class)).hasSize(1);
    assertThat(f.status.ofJob("j1")).endsWith("job j1 STARTED->ABORTED").hasSize(3);
  }

  @Test
  void cancellingWritesTheAbortedRunsAChunkAtATimeNotOneByOne() {
    f.start("j1", 7, 2, null); // chunks of 2 runs in this fixture
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);
    int replaces = f.runs.replaces;

    f.control("j1", Action.CANCEL);

    assertThat(f.runs.bulkWrites).as("one per chunk of the 7 runs").isEqualTo(4);
    assertThat(f.runs.replaces - replaces).isZero();
    assertThat(f.runs.runs.values())
        .extracting(run -> run.status())
        .containsOnly(ExecutionStatus.SUCCESS, ExecutionStatus.ABORTED)
        .filteredOn(status -> status == ExecutionStatus.ABORTED)
        .hasSize(6);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.ABORTED, 6L);
  }

  @Test
  void runnersAreToldOfACancelOnlyOnceItIsRecorded() {
    f.start("j1", 2, null, null);
    // the stack dies before the job's last write
    f.jobs.crashBefore = job -> job.status() == JobStatus.ABORTED;

    assertThatThrownBy(() -> f.control("j1", Action.CANCEL)).hasMessageContaining("crashed");
    // told now, a runner would stop the run, and its end (FAILURE, exit 137) could be handled
    // before the redelivered cancel: the job would end FAILURE, the cancel lost
    assertThat(f.outbox.sent(RunCancelRequested.class)).isEmpty();

    f.control("j1", Action.CANCEL); // redelivered
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.ABORTED);
    assertThat(f.outbox.sent(RunCancelRequested.class)).hasSize(1);
  }

  @Test
  void aCancelCutShortByACrashEndsTheJobAbortedEvenWhenItsRunsEventsComeFirst() {
    f.start("j1", 1, null, null);
    f.jobs.crashBefore = job -> job.status() == JobStatus.ABORTED;
    assertThatThrownBy(() -> f.control("j1", Action.CANCEL)).hasMessageContaining("crashed");
    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.ABORTED);

    // after the restart the run's events (another topic) are handled before the redelivered cancel
    f.runEnds(runId("j1", 0), ExecutionStatus.FAILURE, 1);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.ABORTED);
    assertThat(f.job("j1").reason()).isEqualTo("cancelled");
    f.control("j1", Action.CANCEL); // redelivered: the job ended already
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.ABORTED);
    assertThat(f.status.changes)
        .contains("job j1 STARTED->ABORTED")
        .doesNotContain("job j1 STARTED->FAILURE");
  }

  @Test
  void aCancelledJobRerunForItsFailuresEndsByItsRerunsAgain() {
    f.start("j1", 1, null, null);
    f.control("j1", Action.CANCEL);

    f.control("j1", Action.RERUN_FAILED);
    f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS, 1);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
  }

  @Test
  void cancellingOneRunEndsTheJobWhenItWasTheLast() {
    f.start("j1", 2, null, null);
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);

    f.handle(
        new JobControlRequested(
            id(), "j1", f.clock.instant(), Action.CANCEL_RUN, runId("j1", 1), null));

    assertThat(f.run(runId("j1", 1)).status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);
    assertThat(f.job("j1").reason()).isEqualTo("1 of 2 runs did not succeed");
  }

  @Test
  void rerunningTheFailuresStartsABatchOfThemAndItsOutcomeIsTheJobs() {
    f.start("j1", 3, null, null);
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);
    f.runEnds(runId("j1", 1), ExecutionStatus.FAILURE, 1);
    f.runEnds(runId("j1", 2), ExecutionStatus.SUCCESS, 1);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);

    f.control("j1", Action.RERUN_FAILED);
    f.control("j1", Action.RERUN_FAILED); // the batch still runs: refused

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    assertThat(f.job("j1").batches().count()).isEqualTo(2);
    assertThat(f.requestedRunIds("j1")).hasSize(4).endsWith(runId("j1", 3));
    assertThat(f.run(runId("j1", 3)).parameters()).isEqualTo(f.run(runId("j1", 1)).parameters());

    f.runEnds(runId("j1", 3), ExecutionStatus.SUCCESS, 1);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
  }

  @Test
  void deletingTellsRunnersAndSnapshotServiceThenRemovesTheJobAndItsRuns() {
    f.start("j1", 2, null, null);

    f.control("j1", Action.DELETE);
    f.control("j1", Action.DELETE);

    assertThat(f.jobs.jobs).isEmpty();
    assertThat(f.runs.runs).isEmpty();
    assertThat(f.outbox.sent(WorkingCopiesReleased.class)).hasSize(1);
    assertThat(f.outbox.sent(JobDeleted.class))
        .singleElement()
        .satisfies(deleted -> assertThat(deleted.snapshotId()).isEqualTo("s-j1"));
  }
}

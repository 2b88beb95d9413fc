package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.port.RunCapacity;
import org.junit.jupiter.api.Test;

class JobIntakeTest {

  private final UseCaseFixture f = new UseCaseFixture();

  @Test
  void aRedeliveredJobCreatedChangesNothing() {
    JobCreated created = f.created("j1", 3, null, null);

    f.handle(created);
    f.handle(created);

    assertThat(f.jobs.jobs).containsOnlyKeys("j1");
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.PENDING);
    assertThat(f.status.ofJob("j1")).containsExactly("job j1 null->PENDING");
  }

  @Test
  void theSnapshotWritesEveryRunAndRequestsThemInOrder() {
    f.start("j1", 5, null, null);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    assertThat(f.job("j1").materialized()).isEqualTo(5);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.PENDING, 5L);
    assertThat(f.requestedRunIds("j1"))
        .containsExactly(
            runId("j1", 0), runId("j1", 1), runId("j1", 2), runId("j1", 3), runId("j1", 4));
    assertThat(f.requests("j1").get(2).parameters().pipeline()).containsEntry("lr", 0.2);
  }

  @Test
  void aRedeliveredSnapshotNeitherWritesNorRequestsAnyRunTwice() {
    f.start("j1", 5, null, null);
    SnapshotCreated again = f.snapshot("j1");

    f.handle(again);
    f.handle(again);

    assertThat(f.runs.runs).hasSize(5);
    assertThat(f.requests("j1")).hasSize(5);
    assertThat(f.job("j1").runCount()).isEqualTo(5);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.PENDING, 5L);
  }

  @Test
  void runsThatRanBeforeTheRedeliveredSnapshotAreCountedInTheBatchItStarts() {
    // chunks larger than the job: its runs, its requests, then one deferred write of the job
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 3, null, 100);
    f.handle(f.created("j1", 2, null, null));
    SnapshotCreated snapshot = f.snapshot("j1");
    // runs written and requested, then the stack dies before the job's deferred write
    f.jobs.crashBefore = job -> job.status() == JobStatus.STARTED;
    assertThatThrownBy(() -> f.handle(snapshot)).hasMessageContaining("crashed");
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.PENDING);

    // after the restart a runner runs run 1 from its request before the snapshot comes again
    f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS, 1);
    f.handle(snapshot);
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 2L)
        .containsEntry(ExecutionStatus.PENDING, 0L);
    assertThat(f.job("j1").finished()).isEqualTo(2);
    assertThat(f.status.ofJob("j1")).doesNotContain("job j1 STARTED->FAILURE");
  }

  @Test
  void aSnapshotBeforeItsJobWaitsForTheJob() {
    f.handle(f.snapshot("j1"));

    assertThat(f.jobs.jobs).isEmpty();
    assertThat(f.parked.parked).containsOnlyKeys("j1");

    f.handle(f.created("j1", 2, null, null));

    assertThat(f.parked.parked).isEmpty();
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));
  }

  @Test
  void aFailedSnapshotFailsTheJobOnce() {
    f.handle(f.created("j1", 2, null, null));
    SnapshotFailed failed =
        new SnapshotFailed(UseCaseFixture.id(), "j1", UseCaseFixture.T0, "no such project");

    f.handle(failed);
    f.handle(failed);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);
    assertThat(f.job("j1").reason()).isEqualTo("snapshot failed: no such project");
    assertThat(f.status.ofJob("j1"))
        .containsExactly("job j1 null->PENDING", "job j1 PENDING->FAILURE");
    assertThat(f.requests("j1")).isEmpty();
  }
}

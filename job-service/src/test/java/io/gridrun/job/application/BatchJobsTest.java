package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.JobRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchJobsTest {

  private final UseCaseFixture f = new UseCaseFixture();

  @Test
  void aBatchOfRunEventsWritesTheirJobOnceAtItsEnd() {
    f.start("j1", 2, null, null);
    List<GridrunEvent> batch = new ArrayList<>(f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS));
    batch.addAll(f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS));
    int before = f.jobs.writes;

    f.handleBatch(batch);

    assertThat(f.jobs.writes - before).isEqualTo(1);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.SUCCESS, 2L);
    assertThat(f.job("j1").finished()).isEqualTo(2);
  }

  @Test
  void stepEventsThatLeaveTheJobAsItWasDoNotRewriteIt() {
    f.start("j1", 1, null, null);
    List<GridrunEvent> events = f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS);
    f.handle(events.get(0)); // the run starts: counted on the job
    int before = f.jobs.writes;

    f.handle(events.get(1)); // a step starts: its run changes, its job does not

    assertThat(f.jobs.writes).isEqualTo(before);
    assertThat(f.run(runId("j1", 0)).steps().get(0).status()).isEqualTo(ExecutionStatus.STARTED);

    f.handle(events.get(2)); // the step and its run end: the job counts the run and ends
    assertThat(f.jobs.writes).isGreaterThan(before);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
  }

  @Test
  void aCrashBeforeTheBatchsJobWriteIsCountedWhenTheBatchIsDeliveredAgain() {
    f.start("j1", 2, null, null);
    List<GridrunEvent> batch = f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS);
    f.jobs.crashes = 1;

    assertThatThrownBy(() -> f.handleBatch(batch)).hasMessageContaining("crashed");
    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.job("j1").finished()).isZero();

    f.handleBatch(batch); // redelivered: the runs show the events applied, the job counts again
    assertThat(f.job("j1").finished()).isEqualTo(1);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 1L)
        .containsEntry(ExecutionStatus.STARTED, 0L)
        .containsEntry(ExecutionStatus.PENDING, 1L);
  }

  @Test
  void jobsAreKeptAcrossBatchesUntilTheirPartitionsMove() {
    f.start("j1", 1, null, null);
    BatchJobs jobs = new BatchJobs(f.jobs);
    JobRecord stored = jobs.find("j1").orElseThrow();

    jobs.replaceLater(stored.withReleasedBelow(1));
    assertThat(f.job("j1").releasedBelow()).isZero(); // kept, not written
    assertThat(jobs.find("j1").orElseThrow().releasedBelow()).isEqualTo(1);

    jobs.flush();
    assertThat(f.job("j1").releasedBelow()).isEqualTo(1);

    // only this handler writes the job while it owns the partition: the next batch uses what it
    // wrote, even if (here, to show it) the store says otherwise
    f.jobs.jobs.put("j1", stored);
    assertThat(jobs.find("j1").orElseThrow().releasedBelow()).isEqualTo(1);
    jobs.flush();

    jobs.forgetAll(); // the partitions moved: another instance may have changed it
    assertThat(jobs.find("j1").orElseThrow().releasedBelow()).isZero();
  }

  @Test
  void aJobWhoseWriteFailedIsReadAgain() {
    f.start("j1", 1, null, null);
    BatchJobs jobs = new BatchJobs(f.jobs);
    JobRecord stored = jobs.find("j1").orElseThrow();
    f.jobs.crashes = 1;

    assertThatThrownBy(() -> jobs.replace(stored.withReleasedBelow(1)));
    jobs.flush();

    assertThat(jobs.find("j1").orElseThrow()).isEqualTo(stored);
  }

  @Test
  void otherWritesGoToTheStoreAtOnceAndADeletedJobIsNotWritten() {
    f.start("j1", 1, null, null);
    BatchJobs jobs = new BatchJobs(f.jobs);
    JobRecord stored = jobs.find("j1").orElseThrow();

    jobs.replace(stored.withReleasedBelow(1)); // written at once
    assertThat(f.job("j1").releasedBelow()).isEqualTo(1);

    jobs.replaceLater(stored.withReleasedBelow(2)); // kept, then the job is deleted: no write
    jobs.delete("j1");
    assertThat(jobs.find("j1")).isEmpty();
    int writes = f.jobs.writes;
    jobs.flush();
    assertThat(f.jobs.writes).isEqualTo(writes);
  }
}

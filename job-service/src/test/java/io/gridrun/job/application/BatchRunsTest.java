package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.RunRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch of run events reads each run once, and the runs that its ended runs make room for are
 * requested once per job when the batch ends, not once per ended run.
 */
class BatchRunsTest {

  private final UseCaseFixture f = new UseCaseFixture();

  @Test
  void aBatchReadsEachRunOnceAndRequestsWhatItsEndedRunsMadeRoomForInOneDispatch() {
    f.start("j1", 5, 2, null);
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));
    List<GridrunEvent> batch = new ArrayList<>(f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS));
    batch.addAll(f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS));
    int finds = f.runs.finds;
    int writes = f.jobs.writes;

    f.handleBatch(batch);

    assertThat(f.runs.finds - finds)
        .as("none: the runs are kept since they were written, as long as the partition stays")
        .isZero();
    assertThat(f.requestedRunIds("j1"))
        .containsExactly(runId("j1", 0), runId("j1", 1), runId("j1", 2), runId("j1", 3));
    assertThat(f.jobs.writes - writes).as("the dispatch cursor's write, which saves all").isOne();
    assertThat(f.job("j1").dispatched()).isEqualTo(4);
    assertThat(f.job("j1").runCounts()).containsEntry(ExecutionStatus.SUCCESS, 2L);
    assertThat(f.run(runId("j1", 1)).status()).isEqualTo(ExecutionStatus.SUCCESS);
  }

  @Test
  void runsAreReadAgainOnceTheirPartitionsMoved() {
    f.start("j1", 2, null, null);
    List<GridrunEvent> events = f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS);
    f.handleBatch(events.subList(0, 2));
    RunRecord stored = f.run(runId("j1", 0));
    // another instance had the partition meanwhile and moved the run to its next attempt
    f.runs.runs.put(stored.id(), stored.withAttempt(2));
    f.router.partitionsMoved();

    f.handleBatch(events.subList(2, 3)); // attempt 1's end: no longer the run's attempt

    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.STARTED);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
  }

  @Test
  void aRunThatExistedBeforeItsInsertIsReadFromTheStore() {
    f.start("j1", 1, null, null);
    RunRecord requested = f.run(runId("j1", 0));
    RunRecord moved = requested.withAttempt(2);
    f.runs.runs.put(moved.id(), moved);
    BatchRuns runs = new BatchRuns(f.runs);

    assertThat(runs.insertAll(List.of(requested))).isFalse(); // a redelivered expansion

    assertThat(runs.find(requested.id())).contains(moved);
  }

  @Test
  void aRunWhoseWriteFailedIsReadAgain() {
    f.start("j1", 1, null, null);
    RunRecord stored = f.run(runId("j1", 0));
    BatchRuns runs =
        new BatchRuns(
            new InMemoryPorts.InMemoryRuns() {
              @Override
              public void replace(RunRecord run) {
                throw new IllegalStateException("the database is away");
              }
            });
    runs.find(stored.id()); // nothing there: this store starts empty
    f.runs.runs.forEach((id, run) -> runs.insertAll(List.of(run)));

    assertThatThrownBy(() -> runs.replace(stored.withAttempt(2))).hasMessageContaining("away");

    assertThat(runs.find(stored.id())).contains(stored);
  }
}

package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.id;
import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.RunLeaseExpired;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunLifecycle;
import io.gridrun.job.domain.port.RunCapacity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The runs an ended run makes room for are requested once per job at the end of the batch of events
 * open on the thread, and at once when no batch is open: a run that ends on a thread of its own (a
 * scheduler's, a command's, a start-up task's) is never left waiting for a batch that no one ends.
 */
class BatchDispatchTest {

  @Test
  void aRunThatEndsOnAThreadWithNoBatchOpenRequestsTheJobsNextRunAtOnce() {
    UseCaseFixture f = new UseCaseFixture();
    f.start("j1", 3, 1, null);
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0));
    List<GridrunEvent> events = f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS);

    onAThreadOfItsOwn(
        () -> {
          RunProgress progress = new RunProgress(f.context);
          String run = runId("j1", 0);
          progress.runEvent(run, r -> RunLifecycle.started(r, (RunStarted) events.get(0)));
          progress.runEvent(run, r -> RunLifecycle.stepStarted(r, (StepStarted) events.get(1)));
          progress.runEvent(run, r -> RunLifecycle.stepFinished(r, (StepFinished) events.get(2)));
        });

    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));
    assertThat(f.job("j1").dispatched()).isEqualTo(2);
  }

  @Test
  void aRunWhoseLeaseIsGivenUpOffTheEventBatchesRequestsTheJobsNextRun() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 1);
    f.start("j1", 2, 1, null);
    String run = runId("j1", 0);
    f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), 1, "runner-1"));
    f.clock.advance(UseCaseFixture.LEASE.multipliedBy(2));

    onAThreadOfItsOwn(
        () ->
            new RunLeasing(f.context)
                .leaseExpired(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 1)));

    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(f.requestedRunIds("j1")).containsExactly(run, runId("j1", 1));
  }

  @Test
  void aRunCancelledOffTheEventBatchesRequestsTheJobsNextRun() {
    UseCaseFixture f = new UseCaseFixture();
    f.start("j1", 2, 1, null);

    onAThreadOfItsOwn(
        () ->
            new JobCommands(f.context)
                .control(
                    new JobControlRequested(
                        id(),
                        "j1",
                        f.clock.instant(),
                        JobControlRequested.Action.CANCEL_RUN,
                        runId("j1", 0),
                        null)));

    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));
  }

  @Test
  void aBatchsEndedRunsRequestTheNextRunsOncePerJobWhenTheBatchEndsNotBefore() {
    UseCaseFixture f = new UseCaseFixture();
    f.start("j1", 4, 2, null);
    List<GridrunEvent> batch = new ArrayList<>(f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS));
    batch.addAll(f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS));

    try (JobEventRouter.Batch open = f.router.openBatch()) {
      batch.forEach(open::apply);
      assertThat(f.requestedRunIds("j1")).as("deferred to the batch's end").hasSize(2);
    }

    assertThat(f.requestedRunIds("j1"))
        .containsExactly(runId("j1", 0), runId("j1", 1), runId("j1", 2), runId("j1", 3));
    assertThat(BatchDispatch.isOpen()).isFalse();
  }

  @Test
  void aDispatchThatFailsAtTheBatchsEndCostsNoOtherJobItsDispatch() {
    UseCaseFixture f = new UseCaseFixture();
    f.start("j1", 2, 1, null);
    f.start("j2", 2, 1, null);
    List<GridrunEvent> batch = new ArrayList<>(f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS));
    batch.addAll(f.runEnds(runId("j2", 0), ExecutionStatus.SUCCESS));
    f.outbox.failures = 1; // j1's request, the batch's first send

    assertThatThrownBy(() -> f.handleBatch(batch)).hasMessageContaining("broker away");

    assertThat(f.requestedRunIds("j2")).containsExactly(runId("j2", 0), runId("j2", 1));
    assertThat(f.job("j1").dispatched()).as("requested again by the recheck").isOne();
    assertThat(f.job("j1").finished()).as("the job's counts are saved all the same").isOne();
    f.sweep().recheck();
    f.handleSentCommands();
    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));
  }

  /** As a scheduler's, a command's or a start-up task's thread would: no batch open on it. */
  private static void onAThreadOfItsOwn(Runnable task) {
    CompletableFuture.runAsync(task).join();
  }
}

package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.common.status.ExecutionStatus;
import org.junit.jupiter.api.Test;

class DispatchTest {

  @Test
  void eachDispatchChunkWritesItsStartDeadlinesInOneWrite() {
    UseCaseFixture f =
        new UseCaseFixture(
            io.gridrun.job.domain.port.RunCapacity.UNLIMITED, 3, java.time.Duration.ofMinutes(10));
    f.start("j1", 6, null, null);

    assertThat(f.requests("j1")).hasSize(6);
    for (int seq = 0; seq < 6; seq++) {
      io.gridrun.job.domain.RunLease lease = f.leases.find(runId("j1", seq)).orElseThrow();
      assertThat(lease.started()).isFalse();
      assertThat(lease.attempt()).isEqualTo(1);
      assertThat(lease.expiresAt())
          .isEqualTo(UseCaseFixture.T0.plus(java.time.Duration.ofMinutes(10)));
    }
    // dispatch chunks of 2 in this fixture: 3 writes for 6 requests, not 6
    assertThat(f.leases.writes.get()).isEqualTo(3);
  }

  @Test
  void aLargeJobsRunsAreRequestedChunkByChunkWhileTheRestAreWritten() {
    UseCaseFixture f = new UseCaseFixture();
    java.util.List<Integer> requestedBeforeEachChunk = new java.util.ArrayList<>();
    f.runs.beforeInsert = () -> requestedBeforeEachChunk.add(f.requests("j1").size());

    f.start("j1", 7, null, null);

    // chunks of 2: the first runs are on their way before the last ones are written
    assertThat(requestedBeforeEachChunk).containsExactly(0, 2, 4, 6);
    assertThat(f.requestedRunIds("j1"))
        .containsExactly(
            runId("j1", 0),
            runId("j1", 1),
            runId("j1", 2),
            runId("j1", 3),
            runId("j1", 4),
            runId("j1", 5),
            runId("j1", 6));
    assertThat(f.job("j1").dispatched()).isEqualTo(7);
  }

  @Test
  void underTheFleetCapAJobsRunsAreRequestedOnceAllAreWritten() {
    UseCaseFixture f = UseCaseFixture.withFleetCap(10);
    java.util.List<Integer> requestedBeforeEachChunk = new java.util.ArrayList<>();
    f.runs.beforeInsert = () -> requestedBeforeEachChunk.add(f.requests("j1").size());

    f.start("j1", 7, null, null);

    assertThat(requestedBeforeEachChunk).containsExactly(0, 0, 0, 0);
    assertThat(f.requests("j1")).hasSize(7);
  }

  @Test
  void maxParallelRunsKeepsThatManyInFlightAndRequestsTheNextAsOneEnds() {
    UseCaseFixture f = new UseCaseFixture();
    f.start("j1", 5, 2, null);

    assertThat(f.requestedRunIds("j1")).containsExactly(runId("j1", 0), runId("j1", 1));

    f.runEnds(runId("j1", 1), ExecutionStatus.SUCCESS, 1);

    assertThat(f.requestedRunIds("j1"))
        .containsExactly(runId("j1", 0), runId("j1", 1), runId("j1", 2));
    assertThat(f.job("j1").inFlight()).isEqualTo(2);
  }

  @Test
  void aRedeliveredRunEndFreesOnePlaceOnly() {
    UseCaseFixture f = new UseCaseFixture();
    f.start("j1", 5, 2, null);

    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 3);

    assertThat(f.requests("j1")).hasSize(3);
    assertThat(f.job("j1").finished()).isEqualTo(1);
    assertThat(f.job("j1").runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 1L)
        .containsEntry(ExecutionStatus.PENDING, 4L)
        .containsEntry(ExecutionStatus.STARTED, 0L);
  }

  @Test
  void theFleetCapHoldsRunsBackAndWaitingJobsTakeTurns() {
    UseCaseFixture f = UseCaseFixture.withFleetCap(3);
    f.start("a", 4, null, null);
    f.clock.advance(java.time.Duration.ofSeconds(1));
    f.start("b", 4, null, null);

    assertThat(f.requests("a")).hasSize(3);
    assertThat(f.requests("b")).isEmpty();
    assertThat(f.waiting.oldestFirst(10)).containsExactly("a", "b");

    // a run of a ends: its slot goes to the job that waited longest, which is a
    f.runEnds(runId("a", 0), ExecutionStatus.SUCCESS, 1);
    assertThat(f.requests("a")).hasSize(4);
    assertThat(f.requests("b")).isEmpty();
    assertThat(f.waiting.oldestFirst(10)).containsExactly("b");

    // now b's turn: woken by the sweep once a slot is free
    f.runEnds(runId("a", 1), ExecutionStatus.SUCCESS, 1);
    assertThat(f.capacity.free()).isEqualTo(1);
    f.control("b", Action.DISPATCH);
    f.control("b", Action.DISPATCH);

    assertThat(f.requestedRunIds("b")).containsExactly(runId("b", 0));
    assertThat(f.capacity.free()).isZero();
  }

  @Test
  void aFreeSlotGoesToTheJobThatWaitedLongestEvenIfAnotherAsksFirst() {
    UseCaseFixture f = UseCaseFixture.withFleetCap(1);
    f.start("c", 1, null, null);
    f.start("a", 1, null, null);
    f.clock.advance(java.time.Duration.ofSeconds(1));
    f.start("b", 1, null, null);
    assertThat(f.waiting.oldestFirst(10)).containsExactly("a", "b");

    f.runEnds(runId("c", 0), ExecutionStatus.SUCCESS, 1);
    assertThat(f.capacity.free()).isEqualTo(1);

    f.control("b", Action.DISPATCH);
    assertThat(f.requests("b")).isEmpty();
    assertThat(f.capacity.free()).isEqualTo(1);

    f.control("a", Action.DISPATCH);
    assertThat(f.requestedRunIds("a")).containsExactly(runId("a", 0));
    assertThat(f.waiting.oldestFirst(10)).containsExactly("b");
  }

  @Test
  void aChunkWhosePublishFailedIsRequestedAgainByThePeriodicRecheck() {
    UseCaseFixture f = new UseCaseFixture();
    f.handle(f.created("j1", 3, null, null));
    f.outbox.failures = 1;

    assertThatThrownBy(() -> f.handle(f.snapshot("j1"))).hasMessageContaining("broker away");
    assertThat(f.job("j1").dispatched()).isZero();
    f.sweep().recheck();
    f.handleSentCommands();

    assertThat(f.requestedRunIds("j1")).contains(runId("j1", 0), runId("j1", 1), runId("j1", 2));
    assertThat(f.job("j1").dispatched()).isEqualTo(3);
    int requests = f.requests("j1").size();
    f.clock.advance(java.time.Duration.ofMinutes(1));
    f.sweep().recheck(); // nothing left to request: no command, no request
    f.handleSentCommands();
    assertThat(f.requests("j1")).hasSize(requests);
  }

  @Test
  void aCrashAfterTheRequestsWentOutButBeforeTheCursorWasSavedLosesNoRun() {
    UseCaseFixture f = new UseCaseFixture();
    f.handle(f.created("j1", 3, null, null));
    f.jobs.crashBefore = job -> job.dispatched() > 0; // published, then died before the cursor

    assertThatThrownBy(() -> f.handle(f.snapshot("j1"))).hasMessageContaining("crashed");
    assertThat(f.requestedRunIds("j1")).isNotEmpty();
    assertThat(f.job("j1").dispatched()).isZero();
    f.sweep().recheck();
    f.handleSentCommands();

    assertThat(f.requestedRunIds("j1")).contains(runId("j1", 0), runId("j1", 1), runId("j1", 2));
    assertThat(f.job("j1").dispatched()).isEqualTo(3);
  }
}

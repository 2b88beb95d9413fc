package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.id;
import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunLeaseExpired;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.port.RunCapacity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunLeasingTest {

  private final UseCaseFixture f = new UseCaseFixture();
  private final String run = runId("j1", 0);

  private void started(int attempt, String runner) {
    f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), attempt, runner));
  }

  private RunLeaseExpired expiry(int attempt) {
    return new RunLeaseExpired(id(), "j1", run, f.clock.instant(), attempt);
  }

  @Test
  void aSilentRunnerLosesTheAttemptAndTheRunIsRequestedAgainOnce() {
    f.start("j1", 1, null, null);
    started(1, "runner-1");
    f.clock.advance(UseCaseFixture.LEASE.plusSeconds(1));
    RunLeaseExpired expired = expiry(1);

    f.handle(expired);
    f.handle(expired);

    List<RunRequested> requests = f.requests("j1");
    assertThat(requests).extracting(RunRequested::attempt).containsExactly(1, 2);
    assertThat(f.outbox.sent(RunCancelRequested.class))
        .singleElement()
        .satisfies(cancel -> assertThat(cancel.attempt()).isEqualTo(1));
    assertThat(f.run(run).attempt()).isEqualTo(2);
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.PENDING);
    assertThat(f.leases.find(run)).isEmpty();
  }

  @Test
  void aHeartbeatKeepsTheLeaseAndAnExpiryThatCameLateChangesNothing() {
    f.start("j1", 1, null, null);
    started(1, "runner-1");
    f.clock.advance(Duration.ofSeconds(20));
    f.handle(new RunHeartbeat(id(), "j1", run, f.clock.instant(), 1, "runner-1"));
    f.clock.advance(Duration.ofSeconds(20));

    f.handle(expiry(1));

    assertThat(f.requests("j1")).hasSize(1);
    assertThat(f.run(run).attempt()).isEqualTo(1);
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.STARTED);
  }

  @Test
  void theRunnerOfAnAttemptThatIsNoLongerCurrentIsToldToStop() {
    f.start("j1", 1, null, null);
    started(1, "runner-1");
    f.clock.advance(UseCaseFixture.LEASE.plusSeconds(1));
    f.handle(expiry(1));
    f.outbox.sent.clear();

    f.handle(new RunHeartbeat(id(), "j1", run, f.clock.instant(), 1, "runner-1"));

    assertThat(f.outbox.sent(RunCancelRequested.class))
        .singleElement()
        .satisfies(
            cancel -> {
              assertThat(cancel.runId()).isEqualTo(run);
              assertThat(cancel.attempt()).isEqualTo(1);
            });
    assertThat(f.run(run).attempt()).isEqualTo(2);
  }

  @Test
  void aSecondRunnerExecutingTheSameAttemptStandsDown() {
    f.start("j1", 1, null, null);
    started(1, "runner-1");

    f.handle(new RunHeartbeat(id(), "j1", run, f.clock.instant(), 1, "runner-2"));

    assertThat(f.outbox.sent(RunCancelRequested.class))
        .singleElement()
        .satisfies(cancel -> assertThat(cancel.runner()).isEqualTo("runner-2"));
    assertThat(f.leases.find(run))
        .hasValueSatisfying(l -> assertThat(l.runner()).isEqualTo("runner-1"));
  }

  @Test
  void anAbandonedAttemptIsRequestedAgainAtOnce() {
    f.start("j1", 1, null, null);
    started(1, "runner-1");

    f.handle(new RunAbandoned(id(), "j1", run, f.clock.instant(), 1, "runner-1", "draining"));

    assertThat(f.requests("j1")).extracting(RunRequested::attempt).containsExactly(1, 2);
    assertThat(f.run(run).reason()).contains("runner runner-1 gave attempt 1 up: draining");
  }

  @Test
  void aRunThatLostItsRunnerMaxAttemptsTimesFailsAndEndsTheJob() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 2);
    f.start("j1", 1, null, null);
    for (int attempt = 1; attempt <= 2; attempt++) {
      f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), attempt, "runner-1"));
      f.clock.advance(UseCaseFixture.LEASE.plusSeconds(1));
      f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), attempt));
    }

    assertThat(f.requests("j1")).hasSize(2);
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(f.run(run).reason()).startsWith("lost its runner 2 times");
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);
    assertThat(f.leases.leases).isEmpty();
  }

  @Test
  void aRunNoRunnerStartsIsRequestedAgainUntilItFailsNeverStarted() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 2, Duration.ofMinutes(1));
    f.start("j1", 1, null, null);
    assertThat(f.leases.find(run)).hasValueSatisfying(l -> assertThat(l.started()).isFalse());

    f.clock.advance(Duration.ofSeconds(61));
    f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 1));
    assertThat(f.requests("j1")).extracting(RunRequested::attempt).containsExactly(1, 2);
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.PENDING);

    f.clock.advance(Duration.ofSeconds(61));
    f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 2));
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(f.run(run).reason()).isEqualTo("never started");
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);
  }

  @Test
  void aRequestWaitingBehindRunsInFlightIsQueuedNotLostAndIsRequestedAgainOnceTheFleetIsIdle() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 2, Duration.ofMinutes(1));
    f.start("j1", 2, null, null);
    String busy = runId("j1", 1);
    f.handle(new RunStarted(id(), "j1", busy, f.clock.instant(), 1, "runner-1"));

    // the other run is still running (its runner beats) when the waiting request's deadline passes
    f.clock.advance(Duration.ofSeconds(61));
    f.handle(new RunHeartbeat(id(), "j1", busy, f.clock.instant(), 1, "runner-1"));
    f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 1));
    assertThat(f.requests("j1")).extracting(RunRequested::runId).containsExactly(run, busy);
    assertThat(f.leases.find(run)).hasValueSatisfying(l -> assertThat(l.started()).isFalse());

    // the fleet went idle and the request still did not start: it was lost, and is asked again
    f.runEnds(busy, ExecutionStatus.SUCCESS, 1);
    f.clock.advance(Duration.ofSeconds(61));
    f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 1));
    assertThat(f.requests("j1"))
        .filteredOn(r -> r.runId().equals(run))
        .extracting(RunRequested::attempt)
        .containsExactly(1, 2);
  }

  @Test
  void aStartedRunKeepsNoStartDeadline() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 2, Duration.ofMinutes(1));
    f.start("j1", 1, null, null);
    f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), 1, "runner-1"));

    assertThat(f.leases.find(run)).hasValueSatisfying(l -> assertThat(l.started()).isTrue());
  }

  @Test
  void aRunTheRunnerRejectedFailsWithItsReasonAndARejectionOfAnOlderAttemptChangesNothing() {
    f.start("j1", 1, null, null);
    f.handle(new RunRejected(id(), "j1", run, f.clock.instant(), 2, "stale"));
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.PENDING);

    f.handle(new RunRejected(id(), "j1", run, f.clock.instant(), 1, "cannot read the request"));

    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(f.run(run).reason()).contains("cannot read the request");
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.FAILURE);
  }

  private StepFinished trainEnded(int attempt, ExecutionStatus status) {
    return new StepFinished(
        id(),
        "j1",
        run,
        "train",
        f.clock.instant(),
        attempt,
        status,
        0,
        null,
        f.clock.instant().minusSeconds(3),
        f.clock.instant(),
        Map.of("loss", 0.25));
  }

  /** Attempt 1 started on runner-1, then its lease expired: attempt 2 is requested. */
  private void lostAfterStart(UseCaseFixture f) {
    f.start("j1", 1, null, null);
    f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), 1, "runner-1"));
    f.clock.advance(UseCaseFixture.LEASE.plusSeconds(1));
    f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 1));
    assertThat(f.run(run).attempt()).isEqualTo(2);
    f.outbox.sent.clear();
  }

  @Test
  void anOutcomeOfALostAttemptThatArrivesBeforeTheNextAttemptStartedEndsTheRunAndCancelsTheNext() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 3, Duration.ofMinutes(10));
    lostAfterStart(f);

    f.handle(trainEnded(1, ExecutionStatus.SUCCESS));

    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.run(run).metrics()).containsKey("train");
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.outbox.sent(RunCancelRequested.class))
        .singleElement()
        .satisfies(cancel -> assertThat(cancel.attempt()).isEqualTo(2));
    assertThat(f.leases.find(run)).isEmpty();

    // a runner that took attempt 2's request anyway is refused, and the run stays as it ended
    f.outbox.sent.clear();
    f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), 2, "runner-2"));
    f.handle(trainEnded(2, ExecutionStatus.ABORTED));
    assertThat(f.outbox.sent(RunCancelRequested.class))
        .singleElement()
        .satisfies(cancel -> assertThat(cancel.attempt()).isEqualTo(2));
    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.job("j1").counters().runCounts()).containsEntry(ExecutionStatus.SUCCESS, 1L);
    assertThat(f.requests("j1")).as("no attempt after attempt 2").isEmpty();
  }

  @Test
  void anOutcomeOfALostAttemptIsTakenAlsoWithoutStartDeadlinesAndOnlyOnce() {
    lostAfterStart(f);

    f.handle(trainEnded(1, ExecutionStatus.SUCCESS));
    f.handle(trainEnded(1, ExecutionStatus.SUCCESS)); // reported again by the runner

    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(f.outbox.sent(RunCancelRequested.class)).hasSize(1);
    assertThat(f.leases.leases).isEmpty();
  }

  @Test
  void anOutcomeOfALostAttemptThatArrivesAfterTheNextAttemptStartedChangesNothing() {
    lostAfterStart(f);
    f.handle(new RunStarted(id(), "j1", run, f.clock.instant(), 2, "runner-2"));

    f.handle(trainEnded(1, ExecutionStatus.SUCCESS));

    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.STARTED);
    assertThat(f.run(run).attempt()).isEqualTo(2);
    assertThat(f.outbox.sent(RunCancelRequested.class)).isEmpty();
    assertThat(f.leases.find(run))
        .hasValueSatisfying(l -> assertThat(l.runner()).isEqualTo("runner-2"));
  }

  @Test
  void anOutcomeOfAnAttemptBeforeTheLastLostOneChangesNothing() {
    UseCaseFixture f = new UseCaseFixture(RunCapacity.UNLIMITED, 3, Duration.ofMinutes(1));
    lostAfterStart(f);
    f.clock.advance(Duration.ofSeconds(61)); // attempt 2 never starts: attempt 3 is requested
    f.handle(new RunLeaseExpired(id(), "j1", run, f.clock.instant(), 2));
    assertThat(f.run(run).attempt()).isEqualTo(3);

    f.handle(trainEnded(1, ExecutionStatus.SUCCESS));

    assertThat(f.run(run).status()).isEqualTo(ExecutionStatus.PENDING);
    assertThat(f.leases.find(run)).hasValueSatisfying(l -> assertThat(l.lateEnds()).isEmpty());
  }
}

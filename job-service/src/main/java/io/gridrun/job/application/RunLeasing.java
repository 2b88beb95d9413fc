package io.gridrun.job.application;

import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.RunLeaseExpired;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.StepFinished;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.LateOutcome;
import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.RunLifecycle;
import io.gridrun.job.domain.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leases and failover: a runner heard of extends its attempt's lease; an attempt whose lease
 * expired, or that its runner gave up, is lost, and the run is requested again with the next
 * attempt (after {@code maxAttempts} it fails). Events of an attempt that is no longer current
 * change nothing, and their runner is told to stop, except a whole outcome of the attempt right
 * before the current one while the current one has not started ({@link LateOutcome}).
 */
public class RunLeasing {

  private static final Logger log = LoggerFactory.getLogger(RunLeasing.class);

  /** How long a lease kept only to hold late step ends lasts when runs have no start deadline. */
  private static final Duration HOLD = Duration.ofDays(3650);

  /** Why a run fails that no runner started within its start deadline, attempt after attempt. */
  public static final String NEVER_STARTED = "never started";

  private final UseCaseContext context;
  private final RunProgress progress;
  private final Dispatch dispatch;

  public RunLeasing(UseCaseContext context) {
    this.context = context;
    this.progress = new RunProgress(context);
    this.dispatch = new Dispatch(context);
  }

  /**
   * A runner reported the attempt alive (started, heartbeat): its lease is extended. An attempt
   * job-service no longer waits for (superseded, or its run ended or is gone) is told to stop, and
   * so is a second runner executing an attempt another runner holds (the request was delivered
   * twice): only the runner heard of first keeps it.
   */
  public void heardFrom(String jobId, String runId, int attempt, String runner) {
    Instant now = context.clock().instant();
    RunLease renewed =
        RunLease.heardFrom(runId, jobId, attempt, runner, now, context.properties().leaseTimeout());
    Optional<RunLease> lease = context.leases().find(runId);
    if (lease.isPresent() && lease.get().attempt() == attempt) {
      String holder = lease.get().runner();
      if (lease.get().started() && holder != null && !holder.equals(runner)) {
        log.warn(
            "Run {} attempt {} is held by runner {}; telling {}, which executes it too, to stand"
                + " down",
            runId,
            attempt,
            holder,
            runner);
        context
            .outbox()
            .sendAndWait(
                new RunCancelRequested(
                    UUID.randomUUID().toString(), jobId, runId, now, attempt, runner));
        return;
      }
      context.leases().put(renewed);
      return;
    }
    Optional<RunRecord> run = context.runs().find(runId);
    if (run.isPresent() && run.get().attempt() == attempt && !run.get().status().isTerminal()) {
      context.leases().put(renewed);
      return;
    }
    log.info(
        "Run {} attempt {} is not the attempt in flight; telling {} to stop",
        runId,
        attempt,
        runner);
    context
        .outbox()
        .sendAndWait(
            new RunCancelRequested(UUID.randomUUID().toString(), jobId, runId, now, attempt));
  }

  /** The lease checker saw the lease expire; applied only if it still is. */
  public void leaseExpired(RunLeaseExpired event) {
    Optional<RunLease> lease = context.leases().find(event.runId());
    if (lease.isEmpty()
        || lease.get().attempt() != event.attempt()
        || !lease.get().expired(context.clock().instant())) {
      return;
    }
    Instant now = context.clock().instant();
    if (!lease.get().started() && context.leases().anyRunnerBusy(now)) {
      // runners are busy with other runs: the request waits in the queue behind them; a request
      // lost for real is found once the fleet has nothing in flight (a start timeout later)
      context
          .leases()
          .put(
              RunLease.requested(
                      lease.get().runId(),
                      lease.get().jobId(),
                      lease.get().attempt(),
                      now,
                      context.properties().startTimeout())
                  .withLateEnds(lease.get().lateEnds()));
      return;
    }
    boolean requeued =
        lost(
            event.runId(),
            event.attempt(),
            lease
                .get()
                .lossReason(
                    context.properties().leaseTimeout(), context.properties().startTimeout()),
            !lease.get().started());
    if (!requeued) {
      // the run moved on (a later attempt, or it ended): this lease is stale
      context.leases().remove(event.runId());
    }
  }

  /**
   * A step of the run ended: the change to the run, to be applied by {@link RunProgress}. An end of
   * the attempt before the current one that still counts ({@link LateOutcome#counts}) is kept on
   * the run's lease until the late attempt's outcome is whole; then the run ends with it and the
   * current attempt, which has not started, is cancelled.
   */
  public RunLifecycle.Result stepFinished(RunRecord run, StepFinished end) {
    if (end.attempt() != run.attempt() - 1) {
      return RunLifecycle.stepFinished(run, end);
    }
    RunLifecycle.Result unchanged = new RunLifecycle.Result(run, List.of());
    Optional<RunLease> lease = context.leases().find(run.id());
    if (!LateOutcome.counts(run, lease, end)) {
      return unchanged;
    }
    List<StepFinished> ends =
        LateOutcome.kept(lease.map(RunLease::lateEnds).orElse(List.of()), end);
    Optional<RunLifecycle.Result> outcome = LateOutcome.outcome(run, ends);
    Instant now = context.clock().instant();
    if (outcome.isEmpty()) {
      context
          .leases()
          .put(
              lease
                  .orElseGet(
                      () -> RunLease.requested(run.id(), run.jobId(), run.attempt(), now, HOLD))
                  .withLateEnds(ends));
      return unchanged;
    }
    log.info(
        "Run {} ends with the outcome of attempt {}, which arrived after that attempt was given up"
            + " for lost; attempt {} has not started and is cancelled",
        run.id(),
        end.attempt(),
        run.attempt());
    context
        .outbox()
        .sendAndWait(
            new RunCancelRequested(
                UUID.randomUUID().toString(), run.jobId(), run.id(), now, run.attempt()));
    return outcome.get();
  }

  /** A runner gave the attempt up (draining on shutdown): it is requested again at once. */
  public void abandoned(RunAbandoned abandoned) {
    lost(
        abandoned.runId(),
        abandoned.attempt(),
        "runner "
            + abandoned.runner()
            + " gave attempt "
            + abandoned.attempt()
            + " up: "
            + abandoned.reason(),
        false);
  }

  /** A runner could not execute the request at all: the run fails with the runner's reason. */
  public void rejected(RunRejected event) {
    Optional<RunRecord> run = context.runs().find(event.runId());
    if (run.isEmpty() || run.get().attempt() != event.attempt()) {
      return;
    }
    progress.apply(
        RunLifecycle.failed(run.get(), "rejected by the runner: " + event.reason(), event.at()));
  }

  /**
   * The run's attempt is lost: the runner still executing it (if any) is told to stop, and the run
   * is requested again with the next attempt, from scratch; after {@code maxAttempts} attempts it
   * fails instead. The request is published before the run is saved: a crash in between repeats it
   * on redelivery rather than losing it.
   */
  private boolean lost(String runId, int attempt, String why, boolean neverStarted) {
    Optional<RunRecord> found = context.runs().find(runId);
    if (found.isEmpty()) {
      return false;
    }
    if (found.get().attempt() != attempt || found.get().status().isTerminal()) {
      progress.reconcile(found.get());
      return false;
    }
    RunRecord run = found.get();
    Optional<JobRecord> job = context.jobs().find(run.jobId());
    if (job.isEmpty()) {
      return false;
    }
    Instant now = context.clock().instant();
    context
        .outbox()
        .sendAndWait(
            new RunCancelRequested(UUID.randomUUID().toString(), run.jobId(), runId, now, attempt));
    if (attempt >= context.properties().maxAttempts()) {
      log.warn("Run {} lost attempt {} ({}); no attempts left", runId, attempt, why);
      progress.apply(
          RunLifecycle.failed(
              run,
              neverStarted
                  ? NEVER_STARTED
                  : "lost its runner " + attempt + " times; the last time: " + why,
              now));
      return true;
    }
    log.info(
        "Run {} lost attempt {} ({}); requesting attempt {}", runId, attempt, why, attempt + 1);
    RunLifecycle.Result requeued =
        RunLifecycle.requeued(run, "attempt " + attempt + " lost: " + why, now);
    context.outbox().sendAndWait(dispatch.request(job.get(), requeued.run()));
    // the run is saved at its next attempt before the old lease goes: a failure in between is
    // retried with the old lease still there, and requests the next attempt again
    progress.apply(requeued);
    context.leases().remove(runId);
    dispatch.awaitStart(requeued.run());
    context.metrics().requeued();
    return true;
  }
}

package io.gridrun.job.application;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Requests runs in sequence order while the job's {@code maxParallelRuns} and the fleet's run cap
 * allow. A job stopped by the cap is recorded as waiting, and the dispatcher sweep wakes it when
 * slots free; under the cap jobs take turns.
 */
public class Dispatch {

  private final UseCaseContext context;

  public Dispatch(UseCaseContext context) {
    this.context = context;
  }

  /** Requests what the job's limits allow now (saving the job's cursor as it goes). */
  public void dispatch(JobRecord job) {
    String jobId = job.id();
    if (behindOtherWaitingJobs(job)) {
      return;
    }
    long allowance;
    boolean capped = false;
    while (!capped && (allowance = job.dispatchAllowance()) > 0) {
      long count = Math.min(allowance, context.properties().dispatchBatch());
      long first = job.dispatched();
      List<String> ids = RunPages.ids(jobId, first, first + count);
      Map<String, RunRecord> found = new HashMap<>();
      context.runs().findAll(ids).forEach(run -> found.put(run.id(), run));
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      List<RunLease> deadlines = new ArrayList<>();
      long next = first;
      for (String id : ids) {
        RunRecord run = found.get(id);
        if (run != null && run.status() == ExecutionStatus.PENDING) {
          if (!context.capacity().acquire(run.id())) {
            capped = true;
            break;
          }
          sent.add(context.outbox().send(request(job, run)));
          startDeadline(run).ifPresent(deadlines::add);
        }
        next++;
      }
      // one bulk write of the chunk's start deadlines while its requests are on their way; the
      // cursor is saved only once both are done, so a failure requests the chunk again
      context.leases().putAll(deadlines);
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      context.metrics().dequeued(next - first);
      job = job.withDispatched(next);
      if (!capped && job.dispatchAllowance() > 0) {
        context.jobs().replace(job); // more chunks follow: a crash resumes after this one
      } else {
        // the last chunk: saved with the job's other changes when the batch of events ends
        context.jobs().replaceLater(job);
      }
    }
    if (context.capacity().limited()) {
      if (capped) {
        context.waiting().waiting(jobId, context.clock().instant(), false);
      } else {
        context.waiting().notWaiting(jobId);
      }
    }
  }

  /**
   * Under the fleet's cap, jobs take turns: a job with runs to request waits while another job has
   * waited longer, and the dispatcher sweep wakes that one first. A job that got its turn and was
   * stopped by the cap again goes to the back of the queue.
   */
  private boolean behindOtherWaitingJobs(JobRecord job) {
    if (!context.capacity().limited() || job.dispatchAllowance() == 0) {
      return false;
    }
    Optional<String> first = context.waiting().first();
    if (first.isEmpty() || first.get().equals(job.id())) {
      return false;
    }
    context.waiting().waiting(job.id(), context.clock().instant(), true);
    return true;
  }

  /** A requested run gets a lease that expires unless a runner starts it (its start deadline). */
  public void awaitStart(RunRecord run) {
    startDeadline(run).ifPresent(context.leases()::put);
  }

  private Optional<RunLease> startDeadline(RunRecord run) {
    return context.properties().startDeadline()
        ? Optional.of(
            RunLease.requested(
                run.id(),
                run.jobId(),
                run.attempt(),
                context.clock().instant(),
                context.properties().startTimeout()))
        : Optional.empty();
  }

  /** The request of the run's current attempt. */
  public RunRequested request(JobRecord job, RunRecord run) {
    return new RunRequested(
        UUID.randomUUID().toString(),
        job.id(),
        run.id(),
        context.clock().instant(),
        run.index(),
        run.batch(),
        run.attempt(),
        job.snapshotId(),
        job.manifest(),
        job.definition().withTimeoutAtMost(job.options().timeout()),
        job.environments(),
        run.parameters(),
        job.env(),
        context.properties().leaseTimeout());
  }

  /** The run no longer counts against the fleet's cap and needs no lease. */
  public void leftFlight(String runId) {
    context.leases().remove(runId);
    context.capacity().release(runId);
  }

  /** The job no longer waits for the fleet's cap (it is gone). */
  public void forget(String jobId) {
    if (context.capacity().limited()) {
      context.waiting().notWaiting(jobId);
    }
  }
}

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
    if (behindOtherWaitingJobs(job)) {
      return;
    }
    Requested requested = requestAllowed(job);
    if (context.capacity().limited()) {
      if (requested.capped()) {
        context.waiting().waiting(job.id(), context.clock().instant(), false);
      } else {
        context.waiting().notWaiting(job.id());
      }
    }
  }

  /**
   * Expands the job's current batch and requests its runs chunk by chunk as they are written: the
   * first runs of a large job start while the rest are written, and each chunk's runs are requested
   * from what the expansion just kept, not read back. Under the fleet's cap the runs are requested
   * once all are written, since the cap decides which job goes first.
   */
  public void expandAndDispatch(JobRecord job, RunMaterialisation materialisation) {
    java.util.function.UnaryOperator<JobRecord> afterChunk =
        context.capacity().limited()
            ? java.util.function.UnaryOperator.identity()
            : written -> requestAllowed(written).job();
    dispatch(materialisation.expand(job, afterChunk));
  }

  private record Requested(JobRecord job, boolean capped) {}

  private Requested requestAllowed(JobRecord job) {
    String jobId = job.id();
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
        // the last chunk: saved with the job's other changes (the expansion's next chunk) or when
        // the batch of events ends
        context.jobs().replaceLater(job);
      }
    }
    return new Requested(job, capped);
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

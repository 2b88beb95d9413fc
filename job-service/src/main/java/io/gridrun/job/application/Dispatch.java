package io.gridrun.job.application;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.job.domain.port.Leases;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.domain.port.Runs;
import io.gridrun.job.domain.port.WaitingJobs;
import io.gridrun.job.metrics.JobMetrics;
import java.time.Clock;
import java.time.Duration;
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

  /** How runs are requested: the lease settings a request carries and starts with. */
  public record Settings(int dispatchBatch, Duration leaseTimeout, Duration startTimeout) {}

  private final Jobs jobs;
  private final Runs runs;
  private final Leases leases;
  private final RunCapacity capacity;
  private final WaitingJobs waiting;
  private final Outbox outbox;
  private final JobMetrics metrics;
  private final Settings settings;
  private final Clock clock;

  public Dispatch(
      Jobs jobs,
      Runs runs,
      Leases leases,
      RunCapacity capacity,
      WaitingJobs waiting,
      Outbox outbox,
      JobMetrics metrics,
      Settings settings,
      Clock clock) {
    this.jobs = jobs;
    this.runs = runs;
    this.leases = leases;
    this.capacity = capacity;
    this.waiting = waiting;
    this.outbox = outbox;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
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
      long count = Math.min(allowance, settings.dispatchBatch());
      long first = job.dispatched();
      List<String> ids = RunPages.ids(jobId, first, first + count);
      Map<String, RunRecord> found = new HashMap<>();
      runs.findAll(ids).forEach(run -> found.put(run.id(), run));
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      long next = first;
      for (String id : ids) {
        RunRecord run = found.get(id);
        if (run != null && run.status() == ExecutionStatus.PENDING) {
          if (!capacity.acquire(run.id())) {
            capped = true;
            break;
          }
          sent.add(outbox.send(request(job, run)));
          awaitStart(run);
        }
        next++;
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      metrics.dequeued(next - first);
      job = job.withDispatched(next);
      jobs.replace(job);
    }
    if (capacity.limited()) {
      if (capped) {
        waiting.waiting(jobId, clock.instant(), false);
      } else {
        waiting.notWaiting(jobId);
      }
    }
  }

  /**
   * Under the fleet's cap, jobs take turns: a job with runs to request waits while another job has
   * waited longer, and the dispatcher sweep wakes that one first. A job that got its turn and was
   * stopped by the cap again goes to the back of the queue.
   */
  private boolean behindOtherWaitingJobs(JobRecord job) {
    if (!capacity.limited() || job.dispatchAllowance() == 0) {
      return false;
    }
    Optional<String> first = waiting.first();
    if (first.isEmpty() || first.get().equals(job.id())) {
      return false;
    }
    waiting.waiting(job.id(), clock.instant(), true);
    return true;
  }

  /** With a start timeout, a requested run gets a lease that expires unless a runner starts it. */
  public void awaitStart(RunRecord run) {
    if (settings.startTimeout() != null) {
      leases.put(
          RunLease.requested(
              run.id(), run.jobId(), run.attempt(), clock.instant(), settings.startTimeout()));
    }
  }

  /** The request of the run's current attempt. */
  public RunRequested request(JobRecord job, RunRecord run) {
    return new RunRequested(
        UUID.randomUUID().toString(),
        job.id(),
        run.id(),
        clock.instant(),
        run.index(),
        run.batch(),
        run.attempt(),
        job.snapshotId(),
        job.manifest(),
        job.definition().withTimeoutAtMost(job.options().timeout()),
        job.environments(),
        run.parameters(),
        job.env(),
        settings.leaseTimeout());
  }

  /** The run no longer counts against the fleet's cap and needs no lease. */
  public void leftFlight(String runId) {
    leases.remove(runId);
    capacity.release(runId);
  }

  /** The job no longer waits for the fleet's cap (it is gone). */
  public void forget(String jobId) {
    if (capacity.limited()) {
      waiting.notWaiting(jobId);
    }
  }
}

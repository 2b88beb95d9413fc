package io.gridrun.job.application;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunLeaseExpired;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.job.domain.RunLifecycle;
import io.gridrun.job.domain.port.StatusEvents;
import io.gridrun.job.metrics.JobMetrics;

/**
 * Hands each event to its use case. All events of a job reach it on one thread, in order, so a job
 * and its runs are read, changed and written back without locks; every use case is idempotent, so a
 * redelivered event finds nothing left to do.
 */
public class JobEventRouter {

  private final JobIntake intake;
  private final RunProgress progress;
  private final RunLeasing leasing;
  private final JobCommands commands;
  private final StatusEvents status;
  private final BatchJobs jobs;
  private final BatchRuns runs;
  private final BatchLeases leases;
  private final JobMetrics metrics;

  /**
   * The use cases over {@code context}: MongoDB and Kafka in the service, memory in unit tests. The
   * rewrites runs cause are written once per batch of events ({@link BatchJobs}), and the jobs,
   * runs and leases the handler wrote or read are kept while their partitions stay here ({@link
   * #partitionsMoved}).
   */
  public JobEventRouter(UseCaseContext context) {
    this(
        context,
        new BatchJobs(context.jobs()),
        new BatchRuns(context.runs()),
        new BatchLeases(context.leases()));
  }

  private JobEventRouter(UseCaseContext plain, BatchJobs jobs, BatchRuns runs, BatchLeases leases) {
    UseCaseContext context = plain.withJobs(jobs).withRuns(runs).withLeases(leases);
    this.jobs = jobs;
    this.runs = runs;
    this.leases = leases;
    this.metrics = plain.metrics();
    this.intake = new JobIntake(context);
    this.progress = new RunProgress(context);
    this.leasing = new RunLeasing(context);
    this.commands = new JobCommands(context);
    this.status = context.status();
  }

  /**
   * Applies the event, saves the job and waits until the status events it caused are on the broker.
   */
  public void handle(GridrunEvent event) {
    try (Batch batch = openBatch()) {
      batch.apply(event);
    }
  }

  /**
   * Opens a batch of events on this thread: the job changes its events' runs cause are kept, the
   * runs ended runs make room for are requested once per job, and the status events are sent but
   * not awaited, until the batch closes ({@link Batch#close}), which a caller handling a batch of
   * events does before it commits them. Use it in a try-with-resources block: nothing is deferred
   * past its end.
   */
  public Batch openBatch() {
    return new Batch(BatchDispatch.open());
  }

  /** A batch of events handled on this thread; see {@link #openBatch}. */
  public final class Batch implements EventBatch {

    private final BatchDispatch.Scope dispatches;
    private boolean closed;

    private Batch(BatchDispatch.Scope dispatches) {
      this.dispatches = dispatches;
    }

    @Override
    public void apply(GridrunEvent event) {
      if (closed) {
        throw new IllegalStateException("the batch is closed");
      }
      JobEventRouter.this.apply(event);
    }

    /**
     * Requests the runs that the batch's ended runs made room for (once per job, not once per ended
     * run), saves the jobs this thread's events changed, then waits until every status event this
     * thread sent is on the broker. Called after a batch's events, also after a failed one (the
     * events before it are committed).
     */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        dispatches.close();
      } finally {
        try {
          jobs.flush();
        } finally {
          status.flush();
        }
      }
    }
  }

  /**
   * Partitions were assigned to or revoked from this instance: what was kept of their jobs, runs
   * and leases may have been changed by another instance since, so everything is read afresh.
   * Called on the listener's threads before records of a newly assigned partition are handled.
   */
  public void partitionsMoved() {
    metrics.partitionsMoved();
    jobs.forgetAll();
    runs.forgetAll();
    leases.forgetAll();
  }

  private void apply(GridrunEvent event) {
    if (event instanceof JobCreated created) {
      intake.created(created);
    } else if (event instanceof SnapshotCreated || event instanceof SnapshotFailed) {
      intake.snapshot(event);
    } else if (event instanceof RunStarted started) {
      progress.runEvent(started.runId(), run -> RunLifecycle.started(run, started));
      leasing.heardFrom(started.jobId(), started.runId(), started.attempt(), started.runner());
    } else if (event instanceof RunHeartbeat beat) {
      leasing.heardFrom(beat.jobId(), beat.runId(), beat.attempt(), beat.runner());
    } else if (event instanceof RunLeaseExpired expired) {
      leasing.leaseExpired(expired);
    } else if (event instanceof RunAbandoned abandoned) {
      leasing.abandoned(abandoned);
    } else if (event instanceof RunRejected rejected) {
      leasing.rejected(rejected);
    } else if (event instanceof StepStarted started) {
      progress.runEvent(started.runId(), run -> RunLifecycle.stepStarted(run, started));
    } else if (event instanceof StepFinished finished) {
      progress.stepEnded(finished, run -> leasing.stepFinished(run, finished));
    } else if (event instanceof JobControlRequested control) {
      commands.control(control);
    }
  }
}

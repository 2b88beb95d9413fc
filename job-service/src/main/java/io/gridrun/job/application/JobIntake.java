package io.gridrun.job.application;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.Firings;
import io.gridrun.job.domain.JobRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A job's arrival and its snapshot: the job is recorded once, its snapshot checked against its
 * grid, and its first batch written and requested (or its schedule set). A snapshot event that
 * comes before its job (another topic) waits, parked, until the job is there.
 */
public class JobIntake {

  private final UseCaseContext context;
  private final JobTransitions transitions;
  private final RunMaterialisation materialisation;
  private final Dispatch dispatch;

  public JobIntake(UseCaseContext context) {
    this.context = context;
    this.transitions = new JobTransitions(context);
    this.materialisation = new RunMaterialisation(context);
    this.dispatch = new Dispatch(context);
  }

  /** Records the job (once), then applies its snapshot event if that came first. */
  public void created(JobCreated event) {
    JobRecord job =
        JobRecord.created(
            event.jobId(),
            event.name(),
            event.project(),
            event.pipeline(),
            event.at(),
            event.grid(),
            event.env(),
            event.maxParallelRuns(),
            event.options());
    if (context.jobs().insertIfAbsent(job)) {
      context.metrics().jobCreated();
      context.status().job(job.id(), null, JobStatus.PENDING.name(), null, event.at());
    }
    // removed only once applied: if applying fails, the redelivered job.created finds it again
    Optional<GridrunEvent> snapshot = context.parked().find(event.jobId());
    if (snapshot.isPresent()) {
      snapshot(snapshot.get());
      context.parked().remove(event.jobId());
    }
  }

  /** A snapshot event: applied to its job, or parked until the job is there. */
  public void snapshot(GridrunEvent event) {
    Optional<JobRecord> job = context.jobs().find(event.jobId());
    if (job.isEmpty()) {
      context.parked().park(event.jobId(), event);
    } else if (event instanceof SnapshotCreated created) {
      snapshotCreated(job.get(), created);
    } else if (event instanceof SnapshotFailed failed) {
      transitions.end(
          job.get(), JobStatus.FAILURE, "snapshot failed: " + failed.reason(), failed.at());
    }
  }

  private void snapshotCreated(JobRecord job, SnapshotCreated event) {
    if (job.status().isTerminal()) {
      return;
    }
    if (job.snapshotId() == null) {
      List<String> problems = job.grid().problems(event.pipeline());
      GridExpansion grid = new GridExpansion(event.pipeline(), job.grid());
      RunSelection selection = job.options().selection();
      problems.addAll(selection.problems(grid));
      if (!problems.isEmpty()) {
        transitions.end(
            job,
            JobStatus.FAILURE,
            "the grid does not fit the snapshot's pipeline: " + String.join("; ", problems),
            event.at());
        return;
      }
      long gridRuns = selection.count(grid);
      job =
          job.withSnapshot(
              event.snapshotId(),
              event.manifest(),
              event.pipeline(),
              event.environments(),
              gridRuns);
      job = scheduled(job, context.clock().instant());
      // saved with the expansion's first chunk or the dispatch, or when the batch ends: a crash
      // before finds the job without its snapshot, and the redelivered event does all this again
      context.jobs().replaceLater(job);
    }
    dispatch.expandAndDispatch(job, materialisation);
  }

  /**
   * The job once its snapshot is there: a job without schedule starts its one batch now, a job with
   * one waits for its first firing (a cron job counts as started meanwhile).
   */
  private JobRecord scheduled(JobRecord job, Instant now) {
    Schedule schedule = job.schedule();
    if (schedule == null) {
      return transitions.transition(
          job.withBatchStarted(job.gridRuns(), null, null), JobStatus.STARTED, null, now);
    }
    JobRecord waiting = job.withNextRunAt(Firings.first(schedule, now));
    return schedule.recurring()
        ? transitions.transition(waiting, JobStatus.STARTED, null, now)
        : waiting;
  }
}

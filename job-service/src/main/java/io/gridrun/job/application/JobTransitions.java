package io.gridrun.job.application;

import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.JobRecord;
import java.time.Instant;

/** Moves a job to another status, publishing and counting the change when there is one. */
public class JobTransitions {

  private final UseCaseContext context;

  public JobTransitions(UseCaseContext context) {
    this.context = context;
  }

  /** The job moved to {@code next} if its lifecycle allows it (not saved). */
  public JobRecord transition(JobRecord job, JobStatus next, String reason, Instant at) {
    JobRecord moved = job.withStatus(next, reason, at);
    if (moved.status() != job.status()) {
      context.status().job(job.id(), job.status().name(), next.name(), reason, at);
      if (next.isTerminal()) {
        context.metrics().jobFinished(next.name());
      }
    }
    return moved;
  }

  /** Ends the job (saved) unless it ended already. */
  public void end(JobRecord job, JobStatus terminal, String reason, Instant at) {
    if (job.status().isTerminal()) {
      return;
    }
    context.jobs().replace(transition(job, terminal, reason, at));
  }

  /** Ends the job once all its runs ended (not saved). */
  public JobRecord completedIfAllRunsEnded(JobRecord job, Instant at) {
    JobRecord completed = job.completedIfAllRunsEnded(at);
    if (completed.status() != job.status()) {
      context
          .status()
          .job(job.id(), job.status().name(), completed.status().name(), completed.reason(), at);
      context.metrics().jobFinished(completed.status().name());
    }
    return completed;
  }

  /** A one-off job that ended, opened again for a batch of re-runs (not saved). */
  public JobRecord reopenedForRerun(JobRecord job, Instant at) {
    JobRecord reopened = job.reopenedForRerun(at);
    if (reopened.status() != job.status()) {
      context
          .status()
          .job(
              job.id(),
              job.status().name(),
              reopened.status().name(),
              "re-running failed runs",
              at);
    }
    return reopened;
  }
}

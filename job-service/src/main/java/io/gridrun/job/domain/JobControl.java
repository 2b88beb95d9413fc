package io.gridrun.job.domain;

import io.gridrun.common.status.JobStatus;
import java.util.Optional;

/**
 * When a job may be cancelled, paused, resumed, triggered or have its failures re-run: the one
 * place that decides. The HTTP layer answers 409 with the reason; the job's handler, which applies
 * the command later in order with the job's other events, checks the same rule again (the job may
 * have moved on meanwhile) and does nothing when it refuses.
 */
public final class JobControl {

  private JobControl() {}

  public static Optional<String> cancelRefusal(JobRecord job) {
    if (job.status().isTerminal()) {
      return Optional.of(
          "job '" + job.id() + "' already ended " + job.status() + "; there is nothing to cancel");
    }
    return Optional.empty();
  }

  public static Optional<String> pauseRefusal(JobRecord job) {
    if (!job.recurring()) {
      return oneOff(job, "paused");
    }
    if (job.status() != JobStatus.STARTED) {
      return Optional.of(
          "job '" + job.id() + "' is " + job.status() + "; only a STARTED cron job can be paused");
    }
    return Optional.empty();
  }

  public static Optional<String> resumeRefusal(JobRecord job) {
    if (!job.recurring()) {
      return oneOff(job, "resumed");
    }
    if (job.status() != JobStatus.PAUSED) {
      return Optional.of(
          "job '" + job.id() + "' is " + job.status() + ", not PAUSED; there is nothing to resume");
    }
    return Optional.empty();
  }

  public static Optional<String> triggerRefusal(JobRecord job) {
    if (!job.recurring()) {
      return oneOff(job, "triggered");
    }
    if (job.status().isTerminal()) {
      return Optional.of(
          "job '" + job.id() + "' ended " + job.status() + "; it can no longer be triggered");
    }
    if (job.snapshotId() == null) {
      return Optional.of(
          "job '" + job.id() + "' has no snapshot yet; trigger it once it is STARTED");
    }
    return Optional.empty();
  }

  /**
   * Whether the failures of the job's last batch may be re-run, before counting them: {@link
   * #nothingToRerun} is the refusal when none failed.
   */
  public static Optional<String> rerunRefusal(JobRecord job) {
    String id = job.id();
    if (job.batches().count() == 0 || job.snapshotId() == null) {
      return Optional.of("job '" + id + "' has not run yet; there is nothing to re-run");
    }
    if (!job.allRunsEnded()) {
      return Optional.of(
          "batch "
              + (job.batches().count() - 1)
              + " of job '"
              + id
              + "' is still running; re-run its failures once it ended");
    }
    if (job.recurring() && job.status().isTerminal()) {
      return Optional.of(
          "cron job '" + id + "' ended " + job.status() + "; duplicate it to run it again");
    }
    return Optional.empty();
  }

  public static String nothingToRerun(JobRecord job) {
    return "no run of batch "
        + (job.batches().count() - 1)
        + " of job '"
        + job.id()
        + "' failed or was aborted; there is nothing to re-run";
  }

  private static Optional<String> oneOff(JobRecord job, String what) {
    return Optional.of(
        "job '" + job.id() + "' has no cron schedule: only cron jobs can be " + what);
  }

  /**
   * Why a batch of {@code batch} more runs would take a job of {@code runCount} runs past {@code
   * max} runs per job, or null when it fits.
   */
  public static String overRunLimit(long runCount, long batch, long max) {
    if (runCount + batch <= max) {
      return null;
    }
    return "the job has "
        + runCount
        + " runs; a batch of "
        + batch
        + " more would pass the limit of "
        + max
        + " runs per job (gridrun.jobs.max-runs-per-job)";
  }
}

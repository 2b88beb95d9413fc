package io.gridrun.gateway.ui.jobs;

/**
 * Which of the Job page's buttons the API allows for the job as it is now (a disabled button says
 * the API would answer 409).
 */
public record JobActions(
    boolean cancel, boolean pause, boolean resume, boolean trigger, boolean rerunFailed) {

  static JobActions of(ApiJob job) {
    boolean terminal = job.terminal();
    boolean running = job.count("PENDING") + job.count("STARTED") > 0;
    boolean failed = job.count("FAILURE") + job.count("ABORTED") > 0;
    return new JobActions(
        !terminal,
        job.recurring() && "STARTED".equals(job.status()),
        "PAUSED".equals(job.status()),
        job.recurring() && !terminal,
        failed && !running && !(job.recurring() && terminal));
  }
}

package io.gridrun.job.application;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.Batches;
import io.gridrun.job.domain.Firings;
import io.gridrun.job.domain.JobControl;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The user's and the scheduler's commands on a job ({@code job.control-requested}), applied in
 * order with the job's other events: cancel, cancel one run, pause, resume, trigger, fire, re-run
 * the failures, delete, and the dispatcher sweep's wake-up. Each checks {@link JobControl}'s rule
 * again and does nothing if the job moved on since the command was accepted.
 */
public class JobCommands {

  private final UseCaseContext context;
  private final RunPages pages;
  private final JobTransitions transitions;
  private final RunMaterialisation materialisation;
  private final Dispatch dispatch;
  private final RunProgress progress;
  private final Scheduling scheduling;

  public JobCommands(UseCaseContext context) {
    this.context = context;
    this.pages = context.pages();
    this.transitions = new JobTransitions(context);
    this.materialisation = new RunMaterialisation(context);
    this.dispatch = new Dispatch(context);
    this.progress = new RunProgress(context);
    this.scheduling = new Scheduling(context);
  }

  public void control(JobControlRequested event) {
    Optional<JobRecord> found = context.jobs().find(event.jobId());
    if (found.isEmpty()) {
      return;
    }
    // finish what a crash may have left half done before changing anything else
    JobRecord job = materialisation.expand(found.get());
    Instant at = event.at() != null ? event.at() : context.clock().instant();
    switch (event.action()) {
      case CANCEL -> cancel(job, at);
      case CANCEL_RUN -> cancelRun(job, event.runId(), at);
      case PAUSE -> pause(job, at);
      case RESUME -> resume(job, at);
      case TRIGGER -> scheduling.trigger(job, at);
      case FIRE -> scheduling.fire(job, event.scheduledFor());
      case RERUN_FAILED -> rerunFailed(job, at);
      case DELETE -> delete(job, at);
      case DISPATCH -> dispatch.dispatch(job);
    }
  }

  /**
   * Cancels the job if it still runs, tells runners to drop its working copies and logs and
   * snapshot-service that the job no longer uses its snapshot, then removes the job and its runs.
   * Events first: a crash before the removal repeats them on redelivery, which is harmless.
   */
  private void delete(JobRecord job, Instant at) {
    if (!job.status().isTerminal()) {
      context
          .outbox()
          .sendAndWait(new RunCancelRequested(UUID.randomUUID().toString(), job.id(), null, at));
      transitions.transition(job, JobStatus.ABORTED, "deleted", at);
      context.metrics().dequeued(Math.max(0, job.materialized() - job.dispatched()));
    }
    for (List<RunRecord> chunk : pages.chunks(job.id(), 0, job.dispatched())) {
      chunk.stream()
          .filter(run -> !run.status().isTerminal())
          .forEach(run -> dispatch.leftFlight(run.id()));
    }
    dispatch.forget(job.id());
    context
        .outbox()
        .sendAndWait(
            new WorkingCopiesReleased(UUID.randomUUID().toString(), job.id(), at, null, true));
    context
        .outbox()
        .sendAndWait(new JobDeleted(UUID.randomUUID().toString(), job.id(), at, job.snapshotId()));
    context.runs().deleteJob(job.id());
    context.jobs().delete(job.id());
  }

  private void pause(JobRecord job, Instant at) {
    if (JobControl.pauseRefusal(job).isPresent()) {
      return;
    }
    context.jobs().replace(transitions.transition(job, JobStatus.PAUSED, null, at));
  }

  /** The schedule goes on from now: firings that fell in the pause are not missed, just skipped. */
  private void resume(JobRecord job, Instant at) {
    if (JobControl.resumeRefusal(job).isPresent()) {
      return;
    }
    JobRecord resumed = transitions.transition(job, JobStatus.STARTED, null, at);
    context
        .jobs()
        .replace(
            resumed.withNextRunAt(Firings.nextAfter(job.schedule(), context.clock().instant())));
  }

  /**
   * A batch of the runs of the last batch that failed or were aborted, on the same snapshot. A
   * one-off job that ended is opened again for it, and ends again when the batch ends.
   */
  private void rerunFailed(JobRecord job, Instant at) {
    if (JobControl.rerunRefusal(job).isPresent()) {
      return;
    }
    Batches batches = job.batches();
    long failed = 0;
    for (List<RunRecord> chunk :
        pages.chunks(job.id(), batches.currentStart(), batches.currentSize())) {
      failed += chunk.stream().filter(RunMaterialisation::rerunnable).count();
    }
    if (failed == 0) {
      return;
    }
    JobRecord started =
        transitions
            .reopenedForRerun(job, at)
            .withBatchStarted(failed, batches.currentStart(), batches.currentSize())
            .recording(
                new Batches.Firing(
                    at,
                    at,
                    Batches.Outcome.STARTED,
                    batches.count(),
                    "re-runs the "
                        + failed
                        + " failed or aborted runs of batch "
                        + (batches.count() - 1)));
    context.jobs().replace(started);
    dispatch.expandAndDispatch(started, materialisation);
  }

  private void cancel(JobRecord job, Instant at) {
    if (JobControl.cancelRefusal(job).isPresent()) {
      return;
    }
    // the cancel first: after a crash, events of runs it aborted (other topics) may come before the
    // redelivered cancel, and the job they complete must end ABORTED, not FAILURE
    if (job.cancelRequestedAt() == null) {
      job = job.withCancelRequested(at);
      context.jobs().replace(job);
    }
    // runs next, the job's status last: whoever sees the job ABORTED sees its runs' counts too,
    // and a redelivery after a crash in between simply aborts what is left
    for (List<RunRecord> chunk : pages.chunks(job.id(), 0, job.materialized())) {
      job = progress.abortRuns(job, chunk, "job cancelled", at);
    }
    job = progress.recountedAfterAbortingAll(job);
    job = transitions.transition(job, JobStatus.ABORTED, JobRecord.CANCELLED, at);
    context.metrics().dequeued(job.materialized() - job.dispatched());
    context.jobs().replace(job);
    // runners last, once the cancel is recorded: told before, a runner stopped a run that then
    // ended FAILURE (exit 137) when the stack died before the writes and the run's end was handled
    // before the redelivered cancel (another topic); a crash after the writes leaves the runners to
    // their next heartbeat, which finds the run ended and is answered with a cancel of the attempt
    context.outbox().sendAndWait(cancelRequest(job.id(), null, at));
  }

  private static RunCancelRequested cancelRequest(String jobId, String runId, Instant at) {
    return new RunCancelRequested(UUID.randomUUID().toString(), jobId, runId, at);
  }

  private void cancelRun(JobRecord job, String runId, Instant at) {
    Optional<RunRecord> run = context.runs().find(runId);
    if (run.isEmpty() || run.get().status().isTerminal()) {
      return;
    }
    JobRecord updated = progress.abortRun(job, run.get(), "run cancelled", at);
    JobRecord completed = transitions.completedIfAllRunsEnded(updated, at);
    context.jobs().replace(completed);
    // the runner last, once the cancel is recorded (see cancel)
    context.outbox().sendAndWait(cancelRequest(job.id(), runId, at));
    dispatch.dispatch(completed);
  }
}

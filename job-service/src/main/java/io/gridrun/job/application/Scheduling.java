package io.gridrun.job.application;

import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.Batches;
import io.gridrun.job.domain.Firings;
import io.gridrun.job.domain.JobControl;
import io.gridrun.job.domain.JobRecord;
import java.time.Instant;

/**
 * A schedule's firings and the batches they start: the overlap policy (allow, forbid, replace), the
 * missed-firing policy, and the user's extra batch ({@code trigger}).
 */
public class Scheduling {

  private final UseCaseContext context;
  private final JobTransitions transitions;
  private final RunMaterialisation materialisation;
  private final RunProgress progress;
  private final Dispatch dispatch;

  public Scheduling(UseCaseContext context) {
    this.context = context;
    this.transitions = new JobTransitions(context);
    this.materialisation = new RunMaterialisation(context);
    this.progress = new RunProgress(context);
    this.dispatch = new Dispatch(context);
  }

  /** One extra batch now, whatever the overlap policy: the user asked for it. */
  public void trigger(JobRecord job, Instant at) {
    if (JobControl.triggerRefusal(job).isPresent()) {
      return;
    }
    String overLimit = overRunLimit(job);
    if (overLimit != null) {
      context
          .jobs()
          .replace(
              job.recording(new Batches.Firing(at, at, Batches.Outcome.SKIPPED, null, overLimit)));
      return;
    }
    JobRecord started = startBatch(job, at, Batches.Outcome.STARTED, "triggered");
    context.jobs().replace(started);
    dispatch.expandAndDispatch(started, materialisation);
  }

  /**
   * A firing the scheduler saw due. Only the firing the job waits for counts: a duplicate (two
   * job-service instances, a redelivery) finds {@code nextRunAt} moved on and changes nothing.
   */
  public void fire(JobRecord job, Instant scheduledFor) {
    Instant due = job.batches().nextRunAt();
    if (due == null || scheduledFor == null || !due.equals(scheduledFor)) {
      return;
    }
    if (job.status().isTerminal() || job.status() == JobStatus.PAUSED) {
      return;
    }
    Instant now = context.clock().instant();
    Firings.Plan plan =
        Firings.plan(
            job.schedule(),
            due,
            now,
            context.properties().schedule().misfireGrace(),
            context.properties().schedule().maxCatchUpBatches());
    for (Instant missed : plan.missed()) {
      job =
          job.recording(
              new Batches.Firing(missed, now, Batches.Outcome.MISSED, null, missedWhy(job)));
    }
    job = job.withNextRunAt(plan.next());
    for (Instant firing : plan.batches()) {
      job = fireOnce(job, firing, now);
    }
    if (!job.recurring() && plan.batches().isEmpty()) {
      job =
          transitions.transition(
              job, JobStatus.ABORTED, "its scheduled time was missed (missed: none)", now);
    }
    context.jobs().replace(job);
    dispatch.expandAndDispatch(job, materialisation);
  }

  private static String missedWhy(JobRecord job) {
    return switch (job.schedule().missed()) {
      case NONE -> "missed while job-service was down (missed: none)";
      case LAST ->
          "missed while job-service was down; collapsed into the latest firing (missed: last)";
      case ALL -> "missed while job-service was down, beyond the catch-up limit (missed: all)";
    };
  }

  /** Applies the overlap policy to one firing, starting a batch unless it forbids one. */
  private JobRecord fireOnce(JobRecord job, Instant firing, Instant now) {
    String overLimit = overRunLimit(job);
    if (overLimit != null) {
      return job.recording(
          new Batches.Firing(firing, now, Batches.Outcome.SKIPPED, null, overLimit));
    }
    if (job.allRunsEnded()) {
      return startBatch(job, firing, Batches.Outcome.STARTED, null);
    }
    return switch (job.schedule().overlap()) {
      case ALLOW -> startBatch(materialisation.expand(job), firing, Batches.Outcome.STARTED, null);
      case FORBID ->
          job.recording(
              new Batches.Firing(
                  firing,
                  now,
                  Batches.Outcome.SKIPPED,
                  null,
                  "batch " + (job.batches().count() - 1) + " was still running (overlap: forbid)"));
      case REPLACE -> {
        JobRecord replaced =
            progress.abortUnfinished(
                materialisation.expand(job),
                "replaced by the batch of " + firing + " (overlap: replace)",
                now);
        yield startBatch(replaced, firing, Batches.Outcome.REPLACED, null);
      }
    };
  }

  /**
   * Starts a batch of the whole grid. The batch's runs are written by the materialisation next; the
   * job is saved first, so a crash in between resumes the expansion on the job's next event.
   */
  private JobRecord startBatch(JobRecord job, Instant firing, Batches.Outcome outcome, String why) {
    JobRecord started = job.withBatchStarted(job.gridRuns(), null, null);
    if (started.status() == JobStatus.PENDING) {
      started = transitions.transition(started, JobStatus.STARTED, null, context.clock().instant());
    }
    return started.recording(
        new Batches.Firing(
            firing, context.clock().instant(), outcome, started.batches().count() - 1, why));
  }

  /** Why one more batch of the grid would take the job past its runs limit, or null. */
  private String overRunLimit(JobRecord job) {
    return JobControl.overRunLimit(
        job.runCount(), job.gridRuns(), context.properties().maxRunsPerJob());
  }
}

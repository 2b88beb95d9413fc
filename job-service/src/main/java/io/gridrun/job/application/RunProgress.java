package io.gridrun.job.application;

import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.MetricBest;
import io.gridrun.job.domain.RunLifecycle;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Runs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's progress and what follows from it on the job: the run's change is saved, published and
 * counted on the job (counters, best metrics), a failure may fail the job fast, and a run that
 * ended frees its place for the next request and may end the job.
 */
public class RunProgress {

  private static final Logger log = LoggerFactory.getLogger(RunProgress.class);

  private final UseCaseContext context;
  private final RunPages pages;
  private final JobTransitions transitions;
  private final Dispatch dispatch;
  private final RedeliveredEnds redeliveredEnds;

  public RunProgress(UseCaseContext context) {
    this.context = context;
    this.pages = context.pages();
    this.transitions = new JobTransitions(context);
    this.dispatch = new Dispatch(context);
    this.redeliveredEnds = new RedeliveredEnds(context.status());
  }

  /**
   * Applies a runner's report to the run, if the run (still) exists. Only what changed is written
   * ({@link io.gridrun.job.domain.port.Runs#update}).
   */
  public void runEvent(String runId, Function<RunRecord, RunLifecycle.Result> change) {
    Optional<RunRecord> found = context.runs().find(runId);
    if (found.isEmpty()) {
      log.info("Ignoring an event of run {}, which does not exist (any more)", runId);
      return;
    }
    apply(found.get(), change.apply(found.get()));
  }

  /**
   * A step's end, as {@link #runEvent}; one that changes nothing because the run already holds it
   * (redelivered after a crash) has its status events published again ({@link RedeliveredEnds}).
   */
  public void stepEnded(StepFinished end, Function<RunRecord, RunLifecycle.Result> change) {
    runEvent(
        end.runId(),
        run -> {
          RunLifecycle.Result result = change.apply(run);
          if (!result.changed()) {
            redeliveredEnds.sayAgain(result.run(), end);
          }
          return result;
        });
  }

  /** Saves a run's change and follows it through on the job. */
  public void apply(RunLifecycle.Result result) {
    apply(null, result);
  }

  /**
   * Saves the run's change and follows it through on the job. The runs that an ended run makes room
   * for are requested when the batch of events open on this thread ends, once per job and batch
   * instead of once per ended run ({@link BatchDispatch}: one read of the next runs, their sends,
   * one bulk write of their start deadlines, one write of the cursor); with no batch open, at once.
   * A crash before a batch's dispatch is made good by the periodic {@code DISPATCH} recheck, as a
   * failed dispatch is.
   *
   * @param before the run as stored, when known: then only what changed is written
   */
  private void apply(RunRecord before, RunLifecycle.Result result) {
    if (!result.changed()) {
      reconcile(result.run());
      return;
    }
    if (before != null) {
      context.runs().update(before, result.run(), result.changedSummary());
    } else {
      context.runs().replace(result.run(), result.changedSummary());
    }
    if (result.endedRun()) {
      dispatch.leftFlight(result.run().id());
    }
    Optional<JobRecord> job = context.jobs().find(result.run().jobId());
    if (job.isEmpty()) {
      return;
    }
    JobRecord updated = recordChanges(job.get(), result.run(), result.changes());
    updated = withBestMetrics(updated, result);
    if (failsFast(updated, result)) {
      updated =
          abortUnfinished(
              updated,
              "fail fast: run " + result.run().id() + " failed",
              result.run().finishedAt() != null
                  ? result.run().finishedAt()
                  : context.clock().instant());
    }
    if (result.endedRun()) {
      updated = transitions.completedIfAllRunsEnded(updated, context.clock().instant());
      updated = releaseBeyondRetention(updated, context.clock().instant());
    }
    // the run is saved already; the job once for the whole batch of events (BatchJobs)
    context.jobs().replaceLater(updated);
    if (result.endedRun()) {
      String jobId = updated.id();
      BatchDispatch.request(jobId, () -> context.jobs().find(jobId).ifPresent(dispatch::dispatch));
    }
  }

  /**
   * Makes good a crash between a run's write and its job's write. The run is written first, so such
   * a crash leaves the run changed and the job not counting the change; the redelivered event then
   * finds nothing left to change on the run, and comes here. The job's counters are counted again
   * from its runs (count queries: only for events that changed nothing, which are rare) and, where
   * they differ, saved with what follows from them (the run's place freed, the job ended, the next
   * runs requested).
   */
  public void reconcile(RunRecord run) {
    Optional<JobRecord> found = context.jobs().find(run.jobId());
    if (found.isEmpty()) {
      return;
    }
    JobRecord job = found.get();
    JobRecord updated = recounted(job);
    if (updated.equals(job)) {
      return;
    }
    log.warn("Job {} did not count every change of its runs (a crash?); counted again", job.id());
    if (run.status().isTerminal()) {
      dispatch.leftFlight(run.id());
    }
    Instant now = context.clock().instant();
    updated = transitions.completedIfAllRunsEnded(updated, now);
    updated = releaseBeyondRetention(updated, now);
    context.jobs().replace(updated);
    dispatch.dispatch(updated);
  }

  /** The job with its run counters as its runs' documents say (not saved). */
  public JobRecord recounted(JobRecord job) {
    return recounted(context.runs(), job);
  }

  /** The job with its run counters as these runs' documents say (not saved). */
  static JobRecord recounted(Runs runs, JobRecord job) {
    return job.recounted(
        runs.countByStatus(job.id(), job.materialized(), 0),
        runs.countByStatus(job.id(), job.materialized(), job.batches().currentStart()));
  }

  /**
   * {@link #recounted}, right after every run of the job that had not ended was aborted and
   * written: then a store may count from what its run lists read, which is cheaper.
   */
  public JobRecord recountedAfterAbortingAll(JobRecord job) {
    Runs runs = context.runs();
    long materialized = job.materialized();
    return job.recounted(
        runs.countByStatusAfterAbortingAll(job.id(), materialized, 0),
        runs.countByStatusAfterAbortingAll(job.id(), materialized, job.batches().currentStart()));
  }

  /**
   * Aborts every run of the job that has not ended, telling runners to stop the ones they run (each
   * by run id: a job-wide cancel would also stop the job's later batches). Not saved.
   */
  public JobRecord abortUnfinished(JobRecord job, String reason, Instant at) {
    for (List<RunRecord> chunk : pages.chunks(job.id(), 0, job.materialized())) {
      long dispatched = job.dispatched();
      job = abortRuns(job, chunk, reason, at);
      // runners once the runs are recorded ABORTED: a step's end that comes first finds its run
      // ended and changes nothing (see JobCommands#cancel)
      for (RunRecord run : chunk) {
        if (!run.status().isTerminal() && run.seq() < dispatched) {
          context
              .outbox()
              .sendAndWait(
                  new RunCancelRequested(UUID.randomUUID().toString(), job.id(), run.id(), at));
        }
      }
    }
    context.metrics().dequeued(Math.max(0, job.materialized() - job.dispatched()));
    // runs aborted before a crash that kept the job from counting them are counted again
    return recountedAfterAbortingAll(job)
        .withDispatched(Math.max(job.dispatched(), job.materialized()));
  }

  /**
   * Aborts the runs that have not ended, saved together (one write per bucket and one bulk write of
   * the runs, not two round trips per run), and counts them on the job (not saved).
   */
  public JobRecord abortRuns(JobRecord job, List<RunRecord> runs, String reason, Instant at) {
    List<RunLifecycle.Result> aborted = new ArrayList<>(runs.size());
    for (RunRecord run : runs) {
      RunLifecycle.Result result = RunLifecycle.aborted(run, reason, at);
      if (result.changed()) {
        aborted.add(result);
      }
    }
    context.runs().replaceAll(aborted.stream().map(RunLifecycle.Result::run).toList());
    for (RunLifecycle.Result result : aborted) {
      if (result.run().seq() < job.dispatched()) {
        dispatch.leftFlight(result.run().id());
      }
      job = recordChanges(job, result.run(), result.changes());
    }
    return job;
  }

  /** Aborts the run (saved) and counts it on the job (not saved). */
  public JobRecord abortRun(JobRecord job, RunRecord run, String reason, Instant at) {
    RunLifecycle.Result result = RunLifecycle.aborted(run, reason, at);
    if (!result.changed()) {
      return job;
    }
    context.runs().replace(result.run(), result.changedSummary());
    if (run.seq() < job.dispatched()) {
      dispatch.leftFlight(run.id());
    }
    return recordChanges(job, result.run(), result.changes());
  }

  /**
   * After a batch: the oldest finished runs beyond {@code maxRetainedRuns} lose their working
   * copies on the runners; their status records and logs stay.
   */
  private JobRecord releaseBeyondRetention(JobRecord job, Instant at) {
    long below = job.releasableBelow();
    if (below <= job.releasedBelow()) {
      return job;
    }
    for (long from = job.releasedBelow(); from < below; from += pages.size()) {
      List<String> ids = RunPages.ids(job.id(), from, Math.min(below, from + pages.size()));
      context
          .outbox()
          .sendAndWait(
              new WorkingCopiesReleased(UUID.randomUUID().toString(), job.id(), at, ids, false));
    }
    return job.withReleasedBelow(below);
  }

  private static boolean failsFast(JobRecord job, RunLifecycle.Result result) {
    return job.options().failFast()
        && result.endedRun()
        && result.run().status() == ExecutionStatus.FAILURE
        && !job.status().isTerminal();
  }

  /** Publishes the changes and counts the run's own ones on the job. */
  private JobRecord recordChanges(JobRecord job, RunRecord run, List<RunLifecycle.Change> changes) {
    JobRecord counted = job;
    for (RunLifecycle.Change c : changes) {
      if (c.ofRun()) {
        counted = counted.counting(run.seq(), c.previous(), c.next());
        if (c.next().isTerminal()) {
          context.metrics().runFinished(c.next());
        }
        context
            .status()
            .run(
                run.jobId(),
                run.id(),
                run.batch(),
                c.previous().name(),
                c.next().name(),
                c.reason(),
                c.at());
      } else {
        if (c.next().isTerminal()) {
          stepFinished(job, run, c);
        }
        context
            .status()
            .step(
                run.jobId(),
                run.id(),
                c.stepId(),
                run.batch(),
                c.previous().name(),
                c.next().name(),
                c.reason(),
                c.at());
      }
    }
    return counted;
  }

  private void stepFinished(JobRecord job, RunRecord run, RunLifecycle.Change c) {
    run.steps().stream()
        .filter(step -> step.id().equals(c.stepId()))
        .findFirst()
        .ifPresent(
            step ->
                context
                    .metrics()
                    .stepFinished(
                        environmentOf(job, step.id()),
                        c.next(),
                        step.startedAt(),
                        step.finishedAt()));
  }

  private static String environmentOf(JobRecord job, String stepId) {
    return job.definition() == null
        ? null
        : job.definition().step(stepId).map(StepDefinition::environment).orElse(null);
  }

  /** Keeps the job's best run per numeric metric current as steps report metrics. */
  private static JobRecord withBestMetrics(JobRecord job, RunLifecycle.Result result) {
    JobRecord updated = job;
    for (RunLifecycle.Change change : result.changes()) {
      if (!change.ofRun() && change.next().isTerminal()) {
        Map<String, Object> metrics = result.run().metrics().get(change.stepId());
        if (metrics != null && !metrics.isEmpty()) {
          updated =
              updated.withBest(
                  MetricBest.update(updated.best(), result.run(), change.stepId(), metrics));
        }
      }
    }
    return updated;
  }
}

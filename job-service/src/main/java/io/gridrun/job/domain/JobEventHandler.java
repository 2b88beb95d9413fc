package io.gridrun.job.domain;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.JobServiceProperties;
import io.gridrun.job.metrics.JobMetrics;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.job.status.StatusPublisher;
import io.gridrun.platform.messaging.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.LongStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything job-service does with an event. All events of a job reach it on one thread, in order,
 * so a job and its runs are read, changed and written back without locks; every step is idempotent,
 * so a redelivered event finds nothing left to do.
 */
public class JobEventHandler {

  private static final Logger log = LoggerFactory.getLogger(JobEventHandler.class);

  private final JobStore jobs;
  private final RunStore runs;
  private final EventPublisher publisher;
  private final StatusPublisher status;
  private final JobServiceProperties properties;
  private final Clock clock;
  private final JobMetrics metrics;

  public JobEventHandler(
      JobStore jobs,
      RunStore runs,
      EventPublisher publisher,
      StatusPublisher status,
      JobServiceProperties properties,
      Clock clock,
      JobMetrics metrics) {
    this.metrics = metrics;
    this.jobs = jobs;
    this.runs = runs;
    this.publisher = publisher;
    this.status = status;
    this.properties = properties;
    this.clock = clock;
  }

  public void handle(GridrunEvent event) {
    if (event instanceof JobCreated created) {
      created(created);
    } else if (event instanceof SnapshotCreated snapshot) {
      snapshotCreated(snapshot);
    } else if (event instanceof SnapshotFailed failed) {
      snapshotFailed(failed);
    } else if (event instanceof RunStarted started) {
      runEvent(started.runId(), run -> RunLifecycle.started(run, started));
    } else if (event instanceof StepStarted started) {
      runEvent(started.runId(), run -> RunLifecycle.stepStarted(run, started));
    } else if (event instanceof StepFinished finished) {
      runEvent(finished.runId(), run -> RunLifecycle.stepFinished(run, finished));
    } else if (event instanceof JobControlRequested control) {
      control(control);
    }
    status.flush();
  }

  private void created(JobCreated event) {
    JobRecord job =
        new JobRecord(
            event.jobId(),
            event.name(),
            event.project(),
            event.pipeline(),
            JobStatus.PENDING,
            null,
            event.at(),
            null,
            null,
            event.grid(),
            event.env(),
            event.maxParallelRuns(),
            event.options(),
            null,
            null,
            null,
            null,
            0,
            0,
            0,
            0,
            null,
            null);
    if (jobs.insertIfAbsent(job)) {
      metrics.jobCreated();
      status.job(job.id(), null, JobStatus.PENDING.name(), null, event.at());
    }
  }

  private void snapshotFailed(SnapshotFailed event) {
    // like a snapshot that succeeded: retried until the job (another topic) is there
    JobRecord job =
        jobs.find(event.jobId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "snapshot failure for job " + event.jobId() + " arrived before the job"));
    end(job, JobStatus.FAILURE, "snapshot failed: " + event.reason(), event.at());
  }

  private void snapshotCreated(SnapshotCreated event) {
    Optional<JobRecord> found = jobs.find(event.jobId());
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "snapshot for job " + event.jobId() + " arrived before the job");
    }
    JobRecord job = found.get();
    if (job.status().isTerminal()) {
      return;
    }
    if (job.snapshotId() == null) {
      List<String> problems = job.grid().problems(event.pipeline());
      GridExpansion grid = new GridExpansion(event.pipeline(), job.grid());
      RunSelection selection = job.options().selection();
      problems.addAll(selection.problems(grid));
      if (!problems.isEmpty()) {
        end(
            job,
            JobStatus.FAILURE,
            "the grid does not fit the snapshot's pipeline: " + String.join("; ", problems),
            event.at());
        return;
      }
      long runCount = selection.count(grid);
      job =
          job.withSnapshot(
              event.snapshotId(),
              event.manifest(),
              event.pipeline(),
              event.environments(),
              runCount);
      jobs.replace(job);
    }
    job = expand(job);
    if (job.status() == JobStatus.PENDING) {
      job = transition(job, JobStatus.STARTED, null, clock.instant());
      jobs.replace(job);
    }
    dispatch(job);
  }

  /** Writes the run documents not yet written, in batches; resumes where a previous try stopped. */
  private JobRecord expand(JobRecord job) {
    if (job.materialized() >= job.runCount()) {
      return job;
    }
    GridExpansion grid = new GridExpansion(job.definition(), job.grid());
    RunSelection selection = job.options().selection();
    RunParameters defaults = GridExpansion.defaults(job.definition());
    List<RunRecord> batch = new ArrayList<>();
    long position = 0;
    for (long g = 0; g < grid.size(); g++) {
      RunParameters parameters = grid.parametersAt(g);
      if (selection.keeps(g, parameters)) {
        if (position >= job.materialized()) {
          batch.add(newRun(job, position, g, parameters));
        }
        position++;
        if (batch.size() >= properties.expansionBatch()) {
          job = written(job, batch);
        }
      }
    }
    for (int i = 0; i < selection.include().size(); i++, position++) {
      if (position >= job.materialized()) {
        batch.add(newRun(job, position, null, selection.included(i, defaults)));
      }
    }
    return written(job, batch);
  }

  private JobRecord written(JobRecord job, List<RunRecord> batch) {
    if (batch.isEmpty()) {
      return job;
    }
    runs.insertAll(batch);
    metrics.queued(batch.size());
    JobRecord next = job.withMaterialized(job.materialized() + batch.size(), batch.size());
    batch.clear();
    jobs.replace(next);
    return next;
  }

  private static RunRecord newRun(
      JobRecord job, long index, Long gridIndex, RunParameters parameters) {
    List<StepState> steps =
        job.definition().steps().stream().map(StepDefinition::id).map(StepState::pending).toList();
    return new RunRecord(
        RunRecord.idOf(job.id(), index),
        job.id(),
        index,
        gridIndex,
        0,
        index,
        ExecutionStatus.PENDING,
        1,
        parameters,
        steps,
        null,
        null,
        null,
        null);
  }

  /** Requests runs in sequence order while the job's limits allow. */
  private void dispatch(JobRecord job) {
    String jobId = job.id();
    long allowance;
    while ((allowance = job.dispatchAllowance()) > 0) {
      long count = Math.min(allowance, properties.dispatchBatch());
      long first = job.dispatched();
      List<String> ids =
          LongStream.range(first, first + count)
              .mapToObj(seq -> RunRecord.idOf(jobId, seq))
              .toList();
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      for (RunRecord run : runs.findAll(ids).block()) {
        if (run.status() == ExecutionStatus.PENDING) {
          sent.add(publisher.publish(request(job, run)));
        }
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      metrics.dequeued(count);
      job = job.withDispatched(first + count);
      jobs.replace(job);
    }
  }

  private RunRequested request(JobRecord job, RunRecord run) {
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
        job.definition(),
        job.environments(),
        run.parameters(),
        job.env());
  }

  private void runEvent(String runId, Function<RunRecord, RunLifecycle.Result> change) {
    Optional<RunRecord> found = runs.find(runId);
    if (found.isEmpty()) {
      log.info("Ignoring an event of run {}, which does not exist (any more)", runId);
      return;
    }
    RunLifecycle.Result result = change.apply(found.get());
    if (!result.changed()) {
      return;
    }
    runs.replace(result.run());
    Optional<JobRecord> job = jobs.find(result.run().jobId());
    if (job.isEmpty()) {
      return;
    }
    JobRecord updated = recordChanges(job.get(), result.run(), result.changes());
    updated = withBestMetrics(updated, result);
    if (result.endedRun()) {
      updated = completedIfAllRunsEnded(updated, clock.instant());
    }
    jobs.replace(updated);
    if (result.endedRun()) {
      dispatch(updated);
    }
  }

  /** Publishes the changes and counts the run's own ones on the job. */
  private JobRecord recordChanges(JobRecord job, RunRecord run, List<RunLifecycle.Change> changes) {
    JobRecord counted = job;
    for (RunLifecycle.Change c : changes) {
      if (c.ofRun()) {
        counted = counted.counting(c.previous(), c.next());
        if (c.next().isTerminal()) {
          metrics.runFinished(c.next());
        }
        status.run(
            run.jobId(),
            run.id(),
            run.batch(),
            c.previous().name(),
            c.next().name(),
            c.reason(),
            c.at());
      } else {
        if (c.next().isTerminal()) {
          run.steps().stream()
              .filter(step -> step.id().equals(c.stepId()))
              .findFirst()
              .ifPresent(
                  step ->
                      metrics.stepFinished(
                          environmentOf(job, step.id()),
                          c.next(),
                          step.startedAt(),
                          step.finishedAt()));
        }
        status.step(
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

  private static String environmentOf(JobRecord job, String stepId) {
    return job.definition() == null
        ? null
        : job.definition().step(stepId).map(StepDefinition::environment).orElse(null);
  }

  private void control(JobControlRequested event) {
    Optional<JobRecord> found = jobs.find(event.jobId());
    if (found.isEmpty()) {
      return;
    }
    JobRecord job = found.get();
    switch (event.action()) {
      case CANCEL -> cancel(job, event.at());
      case CANCEL_RUN -> cancelRun(job, event.runId(), event.at());
      default ->
          log.warn(
              "Job control {} is not supported yet; ignored for job {}", event.action(), job.id());
    }
  }

  private void cancel(JobRecord job, Instant at) {
    if (job.status().isTerminal()) {
      return;
    }
    String jobId = job.id();
    publisher.publishAndWait(
        new RunCancelRequested(UUID.randomUUID().toString(), job.id(), null, at));
    // runs first, the job last: whoever sees the job ABORTED sees its runs' counts too, and a
    // redelivery after a crash in between simply aborts what is left
    for (long first = 0; first < job.materialized(); first += properties.dispatchBatch()) {
      List<String> ids =
          LongStream.range(first, Math.min(job.materialized(), first + properties.dispatchBatch()))
              .mapToObj(seq -> RunRecord.idOf(jobId, seq))
              .toList();
      for (RunRecord run : runs.findAll(ids).block()) {
        job = abortRun(job, run, "job cancelled", at);
      }
    }
    job = transition(job, JobStatus.ABORTED, "cancelled", at);
    metrics.dequeued(job.materialized() - job.dispatched());
    jobs.replace(job);
  }

  private void cancelRun(JobRecord job, String runId, Instant at) {
    Optional<RunRecord> run = runs.find(runId);
    if (run.isEmpty() || run.get().status().isTerminal()) {
      return;
    }
    publisher.publishAndWait(
        new RunCancelRequested(UUID.randomUUID().toString(), job.id(), runId, at));
    JobRecord updated = abortRun(job, run.get(), "run cancelled", at);
    JobRecord completed = completedIfAllRunsEnded(updated, at);
    jobs.replace(completed);
    dispatch(completed);
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

  /** Ends the job once all its runs ended, publishing and counting the change. */
  private JobRecord completedIfAllRunsEnded(JobRecord job, Instant at) {
    JobRecord completed = job.completedIfAllRunsEnded(at);
    if (completed.status() != job.status()) {
      status.job(job.id(), job.status().name(), completed.status().name(), completed.reason(), at);
      metrics.jobFinished(completed.status().name());
    }
    return completed;
  }

  private JobRecord abortRun(JobRecord job, RunRecord run, String reason, Instant at) {
    RunLifecycle.Result result = RunLifecycle.aborted(run, reason, at);
    if (!result.changed()) {
      return job;
    }
    runs.replace(result.run());
    return recordChanges(job, result.run(), result.changes());
  }

  private void end(JobRecord job, JobStatus terminal, String reason, Instant at) {
    if (job.status().isTerminal()) {
      return;
    }
    jobs.replace(transition(job, terminal, reason, at));
  }

  private JobRecord transition(JobRecord job, JobStatus next, String reason, Instant at) {
    JobRecord moved = job.withStatus(next, reason, at);
    if (moved.status() != job.status()) {
      status.job(job.id(), job.status().name(), next.name(), reason, at);
      if (next.isTerminal()) {
        metrics.jobFinished(next.name());
      }
    }
    return moved;
  }
}

package io.gridrun.job.domain;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunLeaseExpired;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.JobServiceProperties;
import io.gridrun.job.lease.RunCapacity;
import io.gridrun.job.lease.RunLease;
import io.gridrun.job.metrics.JobMetrics;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.LeaseStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.job.persistence.WaitingJobStore;
import io.gridrun.job.schedule.Firings;
import io.gridrun.job.status.StatusPublisher;
import io.gridrun.platform.messaging.EventPublisher;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

  /**
   * What job-service keeps about runs in flight: their leases, the fleet's run cap, and the jobs
   * whose runs wait for it.
   */
  public record Flight(LeaseStore leases, RunCapacity capacity, WaitingJobStore waiting) {}

  private final JobStore jobs;
  private final RunStore runs;
  private final Flight flight;
  private final EventPublisher publisher;
  private final StatusPublisher status;
  private final JobServiceProperties properties;
  private final Clock clock;
  private final JobMetrics metrics;

  public JobEventHandler(
      JobStore jobs,
      RunStore runs,
      Flight flight,
      EventPublisher publisher,
      StatusPublisher status,
      JobServiceProperties properties,
      Clock clock,
      JobMetrics metrics) {
    this.metrics = metrics;
    this.jobs = jobs;
    this.runs = runs;
    this.flight = flight;
    this.publisher = publisher;
    this.status = status;
    this.properties = properties;
    this.clock = clock;
  }

  /** Applies the event and waits until the status events it caused are on the broker. */
  public void handle(GridrunEvent event) {
    apply(event);
    status.flush();
  }

  /**
   * Applies the event; the status events it causes are sent but not awaited: a caller handling a
   * batch of events awaits them all at once with {@link #flushStatus()} before it commits them.
   */
  public void apply(GridrunEvent event) {
    if (event instanceof JobCreated created) {
      created(created);
    } else if (event instanceof SnapshotCreated snapshot) {
      snapshotCreated(snapshot);
    } else if (event instanceof SnapshotFailed failed) {
      snapshotFailed(failed);
    } else if (event instanceof RunStarted started) {
      runEvent(started.runId(), run -> RunLifecycle.started(run, started));
      heardFrom(started.jobId(), started.runId(), started.attempt(), started.runner());
    } else if (event instanceof RunHeartbeat beat) {
      heardFrom(beat.jobId(), beat.runId(), beat.attempt(), beat.runner());
    } else if (event instanceof RunLeaseExpired expired) {
      leaseExpired(expired);
    } else if (event instanceof RunAbandoned abandoned) {
      lost(
          abandoned.runId(),
          abandoned.attempt(),
          "runner "
              + abandoned.runner()
              + " gave attempt "
              + abandoned.attempt()
              + " up: "
              + abandoned.reason());
    } else if (event instanceof RunRejected rejected) {
      rejected(rejected);
    } else if (event instanceof StepStarted started) {
      runEvent(started.runId(), run -> RunLifecycle.stepStarted(run, started));
    } else if (event instanceof StepFinished finished) {
      runEvent(finished.runId(), run -> RunLifecycle.stepFinished(run, finished));
    } else if (event instanceof JobControlRequested control) {
      control(control);
    }
  }

  /** Waits until every status event sent by this thread is on the broker. */
  public void flushStatus() {
    status.flush();
  }

  private void created(JobCreated event) {
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
      long gridRuns = selection.count(grid);
      job =
          job.withSnapshot(
              event.snapshotId(),
              event.manifest(),
              event.pipeline(),
              event.environments(),
              gridRuns);
      job = scheduled(job, clock.instant());
      jobs.replace(job);
    }
    job = expand(job);
    dispatch(job);
  }

  /**
   * The job once its snapshot is there: a job without schedule starts its one batch now, a job with
   * one waits for its first firing (a cron job counts as started meanwhile).
   */
  private JobRecord scheduled(JobRecord job, Instant now) {
    Schedule schedule = job.schedule();
    if (schedule == null) {
      return transition(
          job.withBatchStarted(job.gridRuns(), null, null), JobStatus.STARTED, null, now);
    }
    JobRecord waiting = job.withNextRunAt(Firings.first(schedule, now));
    return schedule.recurring() ? transition(waiting, JobStatus.STARTED, null, now) : waiting;
  }

  /**
   * Writes the current batch's run documents not yet written, in chunks; resumes where a previous
   * try stopped (a batch's runs are a deterministic function of the job and the batch before).
   */
  private JobRecord expand(JobRecord job) {
    Batches batches = job.batches();
    long start = batches.currentStart();
    if (job.materialized() >= start + batches.currentSize()) {
      return job;
    }
    return batches.rerunOf() == null ? expandGrid(job) : expandRerun(job);
  }

  private JobRecord expandGrid(JobRecord job) {
    long start = job.batches().currentStart();
    int batchNumber = job.batches().count() - 1;
    GridExpansion grid = new GridExpansion(job.definition(), job.grid());
    RunSelection selection = job.options().selection();
    RunParameters defaults = GridExpansion.defaults(job.definition());
    List<RunRecord> batch = new ArrayList<>();
    long position = 0;
    for (long g = 0; g < grid.size(); g++) {
      RunParameters parameters = grid.parametersAt(g);
      if (selection.keeps(g, parameters)) {
        if (start + position >= job.materialized()) {
          batch.add(newRun(job, batchNumber, start, position, g, parameters));
        }
        position++;
        if (batch.size() >= properties.expansionBatch()) {
          job = written(job, batch);
        }
      }
    }
    for (int i = 0; i < selection.include().size(); i++, position++) {
      if (start + position >= job.materialized()) {
        batch.add(newRun(job, batchNumber, start, position, null, selection.included(i, defaults)));
      }
    }
    return written(job, batch);
  }

  /** A batch of the failed and aborted runs of an earlier batch, in their order. */
  private JobRecord expandRerun(JobRecord job) {
    Batches batches = job.batches();
    long start = batches.currentStart();
    int batchNumber = batches.count() - 1;
    List<RunRecord> batch = new ArrayList<>();
    long position = 0;
    for (List<RunRecord> chunk : chunks(job.id(), batches.rerunOf(), batches.rerunOfSize())) {
      for (RunRecord earlier : chunk) {
        if (!rerunnable(earlier)) {
          continue;
        }
        if (start + position >= job.materialized()) {
          batch.add(
              newRun(job, batchNumber, start, position, earlier.gridIndex(), earlier.parameters()));
        }
        position++;
        if (batch.size() >= properties.expansionBatch()) {
          job = written(job, batch);
        }
      }
    }
    return written(job, batch);
  }

  private static boolean rerunnable(RunRecord run) {
    return run.status() == ExecutionStatus.FAILURE || run.status() == ExecutionStatus.ABORTED;
  }

  /** The runs with sequence numbers {@code from} .. {@code from + count - 1}, chunk by chunk. */
  private Iterable<List<RunRecord>> chunks(String jobId, long from, long count) {
    int size = properties.dispatchBatch();
    return () ->
        new java.util.Iterator<>() {
          long next = from;

          @Override
          public boolean hasNext() {
            return next < from + count;
          }

          @Override
          public List<RunRecord> next() {
            long end = Math.min(from + count, next + size);
            List<String> ids =
                LongStream.range(next, end).mapToObj(seq -> RunRecord.idOf(jobId, seq)).toList();
            next = end;
            return runs.findAll(ids).block();
          }
        };
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
      JobRecord job,
      int batch,
      long batchStart,
      long index,
      Long gridIndex,
      RunParameters parameters) {
    List<StepState> steps =
        job.definition().steps().stream().map(StepDefinition::id).map(StepState::pending).toList();
    long seq = batchStart + index;
    return new RunRecord(
        RunRecord.idOf(job.id(), seq),
        job.id(),
        index,
        gridIndex,
        batch,
        seq,
        ExecutionStatus.PENDING,
        1,
        parameters,
        steps,
        null,
        null,
        null,
        null);
  }

  /**
   * Requests runs in sequence order while the job's limits and the fleet's run cap allow. A job
   * stopped by the cap is recorded as waiting, and the dispatcher sweep wakes it when slots free.
   */
  private void dispatch(JobRecord job) {
    String jobId = job.id();
    if (behindOtherWaitingJobs(job)) {
      return;
    }
    long allowance;
    boolean capped = false;
    while (!capped && (allowance = job.dispatchAllowance()) > 0) {
      long count = Math.min(allowance, properties.dispatchBatch());
      long first = job.dispatched();
      List<String> ids =
          LongStream.range(first, first + count)
              .mapToObj(seq -> RunRecord.idOf(jobId, seq))
              .toList();
      Map<String, RunRecord> found = new HashMap<>();
      runs.findAll(ids).block().forEach(run -> found.put(run.id(), run));
      List<CompletableFuture<Void>> sent = new ArrayList<>();
      long next = first;
      for (String id : ids) {
        RunRecord run = found.get(id);
        if (run != null && run.status() == ExecutionStatus.PENDING) {
          if (!flight.capacity().acquire(run.id())) {
            capped = true;
            break;
          }
          sent.add(publisher.publish(request(job, run)));
          awaitStart(run);
        }
        next++;
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
      metrics.dequeued(next - first);
      job = job.withDispatched(next);
      jobs.replace(job);
    }
    if (flight.capacity().limited()) {
      if (capped) {
        flight.waiting().waiting(jobId, clock.instant(), false);
      } else {
        flight.waiting().notWaiting(jobId);
      }
    }
  }

  /**
   * Under the fleet's cap, jobs take turns: a job with runs to request waits while another job has
   * waited longer, and the dispatcher sweep wakes that one first. A job that got its turn and was
   * stopped by the cap again goes to the back of the queue.
   */
  private boolean behindOtherWaitingJobs(JobRecord job) {
    if (!flight.capacity().limited() || job.dispatchAllowance() == 0) {
      return false;
    }
    Optional<String> first = flight.waiting().first();
    if (first.isEmpty() || first.get().equals(job.id())) {
      return false;
    }
    flight.waiting().waiting(job.id(), clock.instant(), true);
    return true;
  }

  /** With a start timeout, a requested run gets a lease that expires unless a runner starts it. */
  private void awaitStart(RunRecord run) {
    if (properties.startTimeout() != null) {
      flight
          .leases()
          .put(
              RunLease.requested(
                  run.id(),
                  run.jobId(),
                  run.attempt(),
                  clock.instant(),
                  properties.startTimeout()));
    }
  }

  /**
   * A runner reported the attempt alive (started, heartbeat): its lease is extended. An attempt
   * job-service no longer waits for (superseded, or its run ended or is gone) is told to stop, and
   * so is a second runner executing an attempt another runner holds (the request was delivered
   * twice): only the runner heard of first keeps it.
   */
  private void heardFrom(String jobId, String runId, int attempt, String runner) {
    Instant now = clock.instant();
    RunLease renewed =
        RunLease.heardFrom(runId, jobId, attempt, runner, now, properties.leaseTimeout());
    Optional<RunLease> lease = flight.leases().find(runId);
    if (lease.isPresent() && lease.get().attempt() == attempt) {
      String holder = lease.get().runner();
      if (lease.get().started() && holder != null && !holder.equals(runner)) {
        log.warn(
            "Run {} attempt {} is held by runner {}; telling {}, which executes it too, to stand"
                + " down",
            runId,
            attempt,
            holder,
            runner);
        publisher.publishAndWait(
            new RunCancelRequested(
                UUID.randomUUID().toString(), jobId, runId, now, attempt, runner));
        return;
      }
      flight.leases().put(renewed);
      return;
    }
    Optional<RunRecord> run = runs.find(runId);
    if (run.isPresent() && run.get().attempt() == attempt && !run.get().status().isTerminal()) {
      flight.leases().put(renewed);
      return;
    }
    log.info(
        "Run {} attempt {} is not the attempt in flight; telling {} to stop",
        runId,
        attempt,
        runner);
    publisher.publishAndWait(
        new RunCancelRequested(UUID.randomUUID().toString(), jobId, runId, now, attempt));
  }

  /** The lease checker saw the lease expire; applied only if it still is. */
  private void leaseExpired(RunLeaseExpired event) {
    Optional<RunLease> lease = flight.leases().find(event.runId());
    if (lease.isEmpty()
        || lease.get().attempt() != event.attempt()
        || !lease.get().expired(clock.instant())) {
      return;
    }
    boolean requeued =
        lost(
            event.runId(),
            event.attempt(),
            lease.get().lossReason(properties.leaseTimeout(), properties.startTimeout()));
    if (!requeued) {
      // the run moved on (a later attempt, or it ended): this lease is stale
      flight.leases().remove(event.runId());
    }
  }

  /**
   * The run's attempt is lost: the runner still executing it (if any) is told to stop, and the run
   * is requested again with the next attempt, from scratch; after {@code maxAttempts} attempts it
   * fails instead. The request is published before the run is saved: a crash in between repeats it
   * on redelivery rather than losing it.
   */
  private boolean lost(String runId, int attempt, String why) {
    Optional<RunRecord> found = runs.find(runId);
    if (found.isEmpty() || found.get().attempt() != attempt || found.get().status().isTerminal()) {
      return false;
    }
    RunRecord run = found.get();
    Optional<JobRecord> job = jobs.find(run.jobId());
    if (job.isEmpty()) {
      return false;
    }
    Instant now = clock.instant();
    publisher.publishAndWait(
        new RunCancelRequested(UUID.randomUUID().toString(), run.jobId(), runId, now, attempt));
    if (attempt >= properties.maxAttempts()) {
      log.warn("Run {} lost attempt {} ({}); no attempts left", runId, attempt, why);
      apply(
          RunLifecycle.failed(
              run, "lost its runner " + attempt + " times; the last time: " + why, now));
      return true;
    }
    log.info(
        "Run {} lost attempt {} ({}); requesting attempt {}", runId, attempt, why, attempt + 1);
    RunLifecycle.Result requeued =
        RunLifecycle.requeued(run, "attempt " + attempt + " lost: " + why, now);
    publisher.publishAndWait(request(job.get(), requeued.run()));
    // the run is saved at its next attempt before the old lease goes: a failure in between is
    // retried with the old lease still there, and requests the next attempt again
    apply(requeued);
    flight.leases().remove(runId);
    awaitStart(requeued.run());
    metrics.requeued();
    return true;
  }

  /** A runner could not execute the request at all: the run fails with the runner's reason. */
  private void rejected(RunRejected event) {
    Optional<RunRecord> run = runs.find(event.runId());
    if (run.isEmpty() || run.get().attempt() != event.attempt()) {
      return;
    }
    apply(RunLifecycle.failed(run.get(), "rejected by the runner: " + event.reason(), event.at()));
  }

  /** The run no longer counts against the fleet's cap and needs no lease. */
  private void leftFlight(String runId) {
    flight.leases().remove(runId);
    flight.capacity().release(runId);
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
        job.definition().withTimeoutAtMost(job.options().timeout()),
        job.environments(),
        run.parameters(),
        job.env(),
        properties.leaseTimeout());
  }

  private void runEvent(String runId, Function<RunRecord, RunLifecycle.Result> change) {
    Optional<RunRecord> found = runs.find(runId);
    if (found.isEmpty()) {
      log.info("Ignoring an event of run {}, which does not exist (any more)", runId);
      return;
    }
    apply(change.apply(found.get()));
  }

  /** Saves a run's change and follows it through on the job. */
  private void apply(RunLifecycle.Result result) {
    if (!result.changed()) {
      return;
    }
    runs.replace(result.run());
    if (result.endedRun()) {
      leftFlight(result.run().id());
    }
    Optional<JobRecord> job = jobs.find(result.run().jobId());
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
              result.run().finishedAt() != null ? result.run().finishedAt() : clock.instant());
    }
    if (result.endedRun()) {
      updated = completedIfAllRunsEnded(updated, clock.instant());
      updated = releaseBeyondRetention(updated, clock.instant());
    }
    jobs.replace(updated);
    if (result.endedRun()) {
      dispatch(updated);
    }
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
    for (long from = job.releasedBelow(); from < below; from += properties.dispatchBatch()) {
      List<String> ids =
          LongStream.range(from, Math.min(below, from + properties.dispatchBatch()))
              .mapToObj(seq -> RunRecord.idOf(job.id(), seq))
              .toList();
      publisher.publishAndWait(
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
    // finish what a crash may have left half done before changing anything else
    JobRecord job = expand(found.get());
    Instant at = event.at() != null ? event.at() : clock.instant();
    switch (event.action()) {
      case CANCEL -> cancel(job, at);
      case CANCEL_RUN -> cancelRun(job, event.runId(), at);
      case PAUSE -> pause(job, at);
      case RESUME -> resume(job, at);
      case TRIGGER -> trigger(job, at);
      case FIRE -> fire(job, event.scheduledFor());
      case RERUN_FAILED -> rerunFailed(job, at);
      case DELETE -> delete(job, at);
      case DISPATCH -> dispatch(job);
    }
  }

  /**
   * Cancels the job if it still runs, tells runners to drop its working copies and logs and
   * snapshot-service that the job no longer uses its snapshot, then removes the job and its runs.
   * Events first: a crash before the removal repeats them on redelivery, which is harmless.
   */
  private void delete(JobRecord job, Instant at) {
    if (!job.status().isTerminal()) {
      publisher.publishAndWait(
          new RunCancelRequested(UUID.randomUUID().toString(), job.id(), null, at));
      transition(job, JobStatus.ABORTED, "deleted", at);
      metrics.dequeued(Math.max(0, job.materialized() - job.dispatched()));
    }
    for (List<RunRecord> chunk : chunks(job.id(), 0, job.dispatched())) {
      chunk.stream().filter(run -> !run.status().isTerminal()).forEach(run -> leftFlight(run.id()));
    }
    if (flight.capacity().limited()) {
      flight.waiting().notWaiting(job.id());
    }
    publisher.publishAndWait(
        new WorkingCopiesReleased(UUID.randomUUID().toString(), job.id(), at, null, true));
    publisher.publishAndWait(
        new JobDeleted(UUID.randomUUID().toString(), job.id(), at, job.snapshotId()));
    runs.deleteJob(job.id());
    jobs.delete(job.id());
  }

  private void pause(JobRecord job, Instant at) {
    if (!job.recurring() || job.status() != JobStatus.STARTED) {
      return;
    }
    jobs.replace(transition(job, JobStatus.PAUSED, null, at));
  }

  /** The schedule goes on from now: firings that fell in the pause are not missed, just skipped. */
  private void resume(JobRecord job, Instant at) {
    if (job.status() != JobStatus.PAUSED) {
      return;
    }
    JobRecord resumed = transition(job, JobStatus.STARTED, null, at);
    jobs.replace(resumed.withNextRunAt(Firings.nextAfter(job.schedule(), clock.instant())));
  }

  /** One extra batch now, whatever the overlap policy: the user asked for it. */
  private void trigger(JobRecord job, Instant at) {
    if (!job.recurring() || job.status().isTerminal() || job.snapshotId() == null) {
      return;
    }
    String overLimit = overRunLimit(job);
    if (overLimit != null) {
      jobs.replace(
          job.recording(new Batches.Firing(at, at, Batches.Outcome.SKIPPED, null, overLimit)));
      return;
    }
    JobRecord started = startBatch(job, at, Batches.Outcome.STARTED, "triggered");
    jobs.replace(started);
    dispatch(expand(started));
  }

  /**
   * A firing the scheduler saw due. Only the firing the job waits for counts: a duplicate (two
   * job-service instances, a redelivery) finds {@code nextRunAt} moved on and changes nothing.
   */
  private void fire(JobRecord job, Instant scheduledFor) {
    Instant due = job.batches().nextRunAt();
    if (due == null || scheduledFor == null || !due.equals(scheduledFor)) {
      return;
    }
    if (job.status().isTerminal() || job.status() == JobStatus.PAUSED) {
      return;
    }
    Instant now = clock.instant();
    Firings.Plan plan =
        Firings.plan(
            job.schedule(),
            due,
            now,
            properties.schedule().misfireGrace(),
            properties.schedule().maxCatchUpBatches());
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
      job = transition(job, JobStatus.ABORTED, "its scheduled time was missed (missed: none)", now);
    }
    jobs.replace(job);
    dispatch(expand(job));
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
      case ALLOW -> startBatch(expand(job), firing, Batches.Outcome.STARTED, null);
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
            abortUnfinished(
                expand(job), "replaced by the batch of " + firing + " (overlap: replace)", now);
        yield startBatch(replaced, firing, Batches.Outcome.REPLACED, null);
      }
    };
  }

  /** Why one more batch of the grid would take the job past its runs limit, or null. */
  private String overRunLimit(JobRecord job) {
    return overRunLimit(job.runCount(), job.gridRuns(), properties.maxRunsPerJob());
  }

  static String overRunLimit(long runCount, long batch, long max) {
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

  /**
   * Starts a batch of the whole grid. The batch's runs are written by {@link #expand} next; the job
   * is saved first, so a crash in between resumes the expansion on the job's next event.
   */
  private JobRecord startBatch(JobRecord job, Instant firing, Batches.Outcome outcome, String why) {
    JobRecord started = job.withBatchStarted(job.gridRuns(), null, null);
    if (started.status() == JobStatus.PENDING) {
      started = transition(started, JobStatus.STARTED, null, clock.instant());
    }
    return started.recording(
        new Batches.Firing(firing, clock.instant(), outcome, started.batches().count() - 1, why));
  }

  /**
   * A batch of the runs of the last batch that failed or were aborted, on the same snapshot. A
   * one-off job that ended is opened again for it, and ends again when the batch ends.
   */
  private void rerunFailed(JobRecord job, Instant at) {
    Batches batches = job.batches();
    if (batches.count() == 0 || !job.allRunsEnded() || job.snapshotId() == null) {
      return;
    }
    if (job.status().isTerminal() && job.recurring()) {
      return;
    }
    long failed = 0;
    for (List<RunRecord> chunk : chunks(job.id(), batches.currentStart(), batches.currentSize())) {
      failed += chunk.stream().filter(JobEventHandler::rerunnable).count();
    }
    if (failed == 0) {
      return;
    }
    JobRecord reopened = job.reopenedForRerun(at);
    if (reopened.status() != job.status()) {
      status.job(
          job.id(), job.status().name(), reopened.status().name(), "re-running failed runs", at);
    }
    JobRecord started =
        reopened
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
    jobs.replace(started);
    dispatch(expand(started));
  }

  /**
   * Aborts every run of the job that has not ended, telling runners to stop the ones they run (each
   * by run id: a job-wide cancel would also stop the job's later batches).
   */
  private JobRecord abortUnfinished(JobRecord job, String reason, Instant at) {
    for (List<RunRecord> chunk : chunks(job.id(), 0, job.materialized())) {
      for (RunRecord run : chunk) {
        if (run.status().isTerminal()) {
          continue;
        }
        if (run.seq() < job.dispatched()) {
          publisher.publishAndWait(
              new RunCancelRequested(UUID.randomUUID().toString(), job.id(), run.id(), at));
        }
        job = abortRun(job, run, reason, at);
      }
    }
    metrics.dequeued(Math.max(0, job.materialized() - job.dispatched()));
    return job.withDispatched(Math.max(job.dispatched(), job.materialized()));
  }

  private void cancel(JobRecord job, Instant at) {
    if (job.status().isTerminal()) {
      return;
    }
    publisher.publishAndWait(
        new RunCancelRequested(UUID.randomUUID().toString(), job.id(), null, at));
    // runs first, the job last: whoever sees the job ABORTED sees its runs' counts too, and a
    // redelivery after a crash in between simply aborts what is left
    for (List<RunRecord> chunk : chunks(job.id(), 0, job.materialized())) {
      for (RunRecord run : chunk) {
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
    if (run.seq() < job.dispatched()) {
      leftFlight(run.id());
    }
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

package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.Dag;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.LeftStep;
import io.gridrun.runner.storage.LogShipping;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one run: materialises its own working copy of the snapshot, then runs its steps in
 * dependency order (independent branches in parallel), publishing every step's start and end. When
 * a step does not succeed, the steps downstream of it never start and end {@code ABORTED}; other
 * branches go on. When the pipeline's {@code timeout} passes, running steps are killed (they fail
 * with reason {@code timeout}) and steps not started end {@code ABORTED} with that reason. Each
 * step is run by a {@link StepRunner}.
 */
public class RunExecutor {

  private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);
  public static final String UPSTREAM_FAILED = FailureReasons.UPSTREAM_FAILED;

  /**
   * Where things are and how much may run at once.
   *
   * @param stepParallelism steps of one run at once, at most; a pipeline may ask for fewer
   * @param maxLogBytes a step's stored log keeps at most this much of its output
   * @param networkPolicy whether steps may, must or must not get a network
   */
  public record Settings(
      Path workDir,
      Path dataDir,
      String runnerId,
      int stepParallelism,
      int metricsMaxBytes,
      long maxLogBytes,
      io.gridrun.common.pipeline.NetworkPolicy networkPolicy,
      io.gridrun.common.secret.SecretBox secrets) {

    public static final long DEFAULT_MAX_LOG_BYTES = 16L << 20;

    public Settings {
      networkPolicy =
          networkPolicy == null ? io.gridrun.common.pipeline.NetworkPolicy.ALLOWED : networkPolicy;
    }

    /**
     * Logs kept up to {@link #DEFAULT_MAX_LOG_BYTES}, any network policy allowed, no secrets key (a
     * step given a secret fails).
     */
    public Settings(
        Path workDir, Path dataDir, String runnerId, int stepParallelism, int metricsMaxBytes) {
      this(
          workDir,
          dataDir,
          runnerId,
          stepParallelism,
          metricsMaxBytes,
          DEFAULT_MAX_LOG_BYTES,
          null,
          null);
    }
  }

  private final BlobStore blobs;
  private final ExecutionEvents events;
  private final Cancellations cancellations;
  private final Settings settings;
  private final Clock clock;
  private final StepRunner steps;
  private final StepSlots slots;
  private final String executor;
  private final LogShipping shipping;
  private final StepLogStore logs;
  private final RunPreflight preflight;
  private final RunRecords records;
  private RunProjects projects;

  /**
   * What a run executor works with besides its settings.
   *
   * @param slots the runner's slots, shared by all the runs it executes: each running step holds
   *     one
   * @param outputs keeps what steps leave in their outputs directory as artifacts
   * @param shipping where step logs go besides this runner's disk (the log topic and the object
   *     store when services share no disk)
   */
  public record Parts(
      ContainerRuntime runtime,
      BlobStore blobs,
      StepLogStore logs,
      ExecutionEvents events,
      Cancellations cancellations,
      StepSlots slots,
      StepOutputs outputs,
      LogShipping shipping) {

    /** Unlimited slots, no artifacts kept, logs on this runner's disk only. */
    public Parts(
        ContainerRuntime runtime,
        BlobStore blobs,
        StepLogStore logs,
        ExecutionEvents events,
        Cancellations cancellations) {
      this(
          runtime,
          blobs,
          logs,
          events,
          cancellations,
          StepSlots.unlimited(),
          StepOutputs.NONE,
          LogShipping.NONE);
    }
  }

  public RunExecutor(Parts parts, Settings settings, Clock clock) {
    this.shipping = parts.shipping();
    this.slots = parts.slots();
    this.executor = parts.runtime().name();
    this.blobs = parts.blobs();
    this.events = parts.events();
    this.cancellations = parts.cancellations();
    this.settings = settings;
    this.clock = clock;
    this.logs = parts.logs();
    this.preflight = new RunPreflight(parts.runtime());
    this.records = new RunRecords(settings.workDir());
    this.steps =
        new StepRunner(
            parts.runtime(),
            logs,
            events,
            cancellations,
            settings,
            parts.outputs(),
            shipping,
            clock);
    this.projects = RunProjects.copies(blobs);
  }

  /** How runs' working copies are made (full copies from the blob store unless set). */
  public RunExecutor withProjects(RunProjects projects) {
    this.projects = projects;
    return this;
  }

  /**
   * Executes the run to its end on the calling thread.
   *
   * @throws IllegalArgumentException when the request cannot be executed (see {@link
   *     RunRequests#problem}); nothing is published then
   */
  public void execute(RunRequested run) {
    RunRequests.problem(run)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    Instant started = clock.instant();
    RunDeadline deadline = RunDeadline.after(started, run.pipeline().timeLimit());
    events.publish(
        new RunStarted(
            id(), run.jobId(), run.runId(), started, run.attempt(), settings.runnerId(), executor));
    Path runDir = settings.workDir().resolve(run.runId());
    if (cancellations.isCancelled(run)) {
      endUnstarted(run, ExecutionStatus.ABORTED, FailureReasons.CANCELLED);
      return;
    }
    java.util.Optional<String> unrunnable =
        preflight
            .problem(run)
            .or(() -> RunPreflight.refusal(run, settings.networkPolicy(), settings.secrets()));
    if (unrunnable.isPresent()) {
      rejectBeforeStart(run, unrunnable.get());
      return;
    }
    try {
      projects.prepare(run.manifest(), runDir);
      Files.createDirectories(settings.dataDir());
    } catch (IOException | RuntimeException e) {
      log.warn("Run {}: could not prepare the working copy", run.runId(), e);
      rejectBeforeStart(run, "could not prepare the working copy: " + e.getMessage());
      return;
    }
    records.request(run);
    try {
      new DagExecution(run, runDir, deadline, Map.of(), Map.of()).run();
    } finally {
      projects.release(runDir);
      shipping.runEnded(run);
    }
  }

  /**
   * Takes down the working-copy mounts a runner process that died left under the work directory,
   * except those of the runs in {@code resumed} (see {@link RunProjects#takeDownLeftovers}).
   */
  public int takeDownLeftMounts(java.util.Set<String> resumed) {
    return projects.takeDownLeftovers(resumed);
  }

  /** The request recorded in a run's directory here, for a runner that starts again. */
  public java.util.Optional<RunRequested> recordedRequest(String runId) {
    return records.request(runId);
  }

  /**
   * Every step's end in the attempt recorded here, in the order they ended, if every step of the
   * attempt ended (none runs, none is still to start); empty otherwise. A runner that gives an
   * attempt up reports such an outcome instead of dropping it.
   */
  public java.util.Optional<List<StepFinished>> recordedOutcome(RunRequested run) {
    return records.outcome(run);
  }

  /**
   * Continues an attempt that an earlier process of this runner executed here (it was killed): the
   * ends of steps it recorded are published again (job-service takes each once), the step
   * containers it left are followed to their end instead of being launched again (see {@link
   * StepRunner#follow}), and the steps that had not started run as usual. No {@code run.started}:
   * the run started already.
   */
  public void resume(RunRequested run, List<LeftStep> left) {
    Path runDir = settings.workDir().resolve(run.runId());
    Map<String, ExecutionStatus> ended = new LinkedHashMap<>();
    for (StepDefinition step : run.pipeline().steps()) {
      records
          .finished(run, step.id())
          .ifPresent(
              finished -> {
                ended.put(step.id(), finished.status());
                events.publish(finished);
              });
    }
    Map<String, LeftStep> following = new LinkedHashMap<>();
    for (LeftStep step : left) {
      if (ended.containsKey(step.stepId()) || following.containsKey(step.stepId())) {
        steps.discard(step); // its end is recorded and published: only the container was left
      } else {
        following.put(step.stepId(), step);
      }
    }
    log.info(
        "Run {} attempt {}: continuing after a restart; {} steps ended, {} followed",
        run.runId(),
        run.attempt(),
        ended.size(),
        following.size());
    RunDeadline deadline = RunDeadline.after(clock.instant(), run.pipeline().timeLimit());
    try {
      // the working copy its predecessor made: still mounted, or mounted again from its upper layer
      projects.remount(runDir);
    } catch (IOException | RuntimeException e) {
      log.warn("Run {}: could not mount its working copy again", run.runId(), e);
    }
    try {
      new DagExecution(run, runDir, deadline, ended, following).run();
    } finally {
      projects.release(runDir);
      shipping.runEnded(run);
    }
  }

  /**
   * The run cannot start here (an environment not pinned, an image missing, no working copy): the
   * runner rejects it with the reason ({@code run.rejected}, which fails the run at job-service
   * without another attempt), and every step ends {@code FAILURE} with that reason in its event and
   * its log, none of them launched.
   */
  private void rejectBeforeStart(RunRequested run, String reason) {
    log.warn("Rejecting run {} attempt {}: {}", run.runId(), run.attempt(), reason);
    events.publish(
        new RunRejected(id(), run.jobId(), run.runId(), clock.instant(), run.attempt(), reason));
    for (StepDefinition step : run.pipeline().steps()) {
      try (java.io.OutputStream out = logs.create(run.runId(), step.id())) {
        out.write(("gridrun: " + reason + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        log.warn("Run {}: could not write the log of step {}", run.runId(), step.id(), e);
      }
      shipping.stored(run, step.id());
    }
    endUnstarted(run, ExecutionStatus.FAILURE, reason);
  }

  /** Every step ends without having run, e.g. when the run was cancelled before it started. */
  private void endUnstarted(RunRequested run, ExecutionStatus status, String reason) {
    for (StepDefinition step : run.pipeline().steps()) {
      finished(run, step.id(), status, null, reason, null, Map.of());
    }
  }

  private void finished(
      RunRequested run,
      String stepId,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Map<String, Object> metrics) {
    Instant now = clock.instant();
    events.publish(
        new StepFinished(
            id(),
            run.jobId(),
            run.runId(),
            stepId,
            now,
            run.attempt(),
            status,
            exitCode,
            reason,
            startedAt,
            now,
            metrics));
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }

  /** The steps of one run, scheduled as their dependencies succeed. */
  private final class DagExecution {
    private final RunRequested run;
    private final Path runDir;
    private final RunDeadline deadline;
    private final Dag dag;
    private final Map<String, ExecutionStatus> states = new LinkedHashMap<>();

    private final Map<String, LeftStep> following;

    /**
     * @param ended steps that ended before (a restart), with their status
     * @param following steps whose containers an earlier runner process left: followed, not
     *     launched
     */
    DagExecution(
        RunRequested run,
        Path runDir,
        RunDeadline deadline,
        Map<String, ExecutionStatus> ended,
        Map<String, LeftStep> following) {
      this.run = run;
      this.runDir = runDir;
      this.deadline = deadline;
      this.dag = Dag.of(run.pipeline());
      this.following = following;
      run.pipeline()
          .steps()
          .forEach(s -> states.put(s.id(), ended.getOrDefault(s.id(), ExecutionStatus.PENDING)));
    }

    /** The runner's limit, the pipeline's {@code maxStepParallelism}, and the number of steps. */
    private int parallelism() {
      Integer pipelineLimit = run.pipeline().maxStepParallelism();
      int limit = Math.min(settings.stepParallelism(), states.size());
      if (pipelineLimit != null) {
        limit = Math.min(limit, pipelineLimit);
      }
      return Math.max(1, limit);
    }

    void run() {
      int parallelism = parallelism();
      ExecutorService pool = Executors.newFixedThreadPool(parallelism);
      CompletionService<StepRunner.Outcome> done = new ExecutorCompletionService<>(pool);
      try {
        int inFlight = 0;
        for (StepDefinition step : run.pipeline().steps()) {
          LeftStep left = following.get(step.id());
          if (left != null && states.get(step.id()) == ExecutionStatus.PENDING) {
            states.put(step.id(), ExecutionStatus.STARTED);
            done.submit(() -> followInASlot(step, left));
            inFlight++;
          }
        }
        while (true) {
          if (deadline.passed(clock.instant())) {
            abortPending(FailureReasons.TIMEOUT);
          } else if (cancellations.isAttemptCancelled(run)) {
            abortPending(FailureReasons.CANCELLED);
          }
          for (StepDefinition step : run.pipeline().steps()) {
            if (inFlight < parallelism
                && states.get(step.id()) == ExecutionStatus.PENDING
                && dependenciesSucceeded(step)) {
              states.put(step.id(), ExecutionStatus.STARTED);
              done.submit(() -> inASlot(step));
              inFlight++;
            }
          }
          if (inFlight == 0) {
            break;
          }
          StepRunner.Outcome outcome = take(done);
          inFlight--;
          states.put(outcome.stepId(), outcome.status());
          if (outcome.status() != ExecutionStatus.SUCCESS) {
            if (deadline.passed(clock.instant())) {
              abortPending(FailureReasons.TIMEOUT);
            } else {
              abortDownstream(outcome.stepId());
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /** Runs the step once the runner has a free slot for it. */
    private StepRunner.Outcome inASlot(StepDefinition step) throws Exception {
      slots.take();
      try {
        return steps.run(run, runDir, step, deadline);
      } finally {
        slots.give();
      }
    }

    private StepRunner.Outcome followInASlot(StepDefinition step, LeftStep left) throws Exception {
      slots.take();
      try {
        return steps.follow(run, runDir, step, left);
      } finally {
        slots.give();
      }
    }

    private boolean dependenciesSucceeded(StepDefinition step) {
      return step.dependsOn().stream().allMatch(d -> states.get(d) == ExecutionStatus.SUCCESS);
    }

    private void abortDownstream(String failed) {
      for (String step : dag.downstreamOf(failed)) {
        abortIfPending(step, UPSTREAM_FAILED);
      }
    }

    private void abortPending(String reason) {
      for (String step : List.copyOf(states.keySet())) {
        abortIfPending(step, reason);
      }
    }

    private void abortIfPending(String step, String reason) {
      if (states.get(step) == ExecutionStatus.PENDING) {
        states.put(step, ExecutionStatus.ABORTED);
        Instant now = clock.instant();
        StepFinished aborted =
            new StepFinished(
                id(),
                run.jobId(),
                run.runId(),
                step,
                now,
                run.attempt(),
                ExecutionStatus.ABORTED,
                null,
                reason,
                null,
                now,
                Map.of());
        records.finished(aborted); // recorded like every end of a step of the attempt's DAG
        events.publish(aborted);
      }
    }

    private StepRunner.Outcome take(CompletionService<StepRunner.Outcome> done) {
      try {
        return done.take().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + run.runId(), e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "a step of " + run.runId() + " crashed the runner", e.getCause());
      }
    }
  }
}

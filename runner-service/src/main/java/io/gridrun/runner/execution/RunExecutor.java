package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one run: materialises its own working copy of the snapshot, then runs its steps in
 * dependency order (independent branches in parallel), publishing every step's start and end. When
 * a step does not succeed, the steps downstream of it never start and end {@code ABORTED}; other
 * branches go on. When the pipeline's {@code timeout} passes, running steps are killed (they fail
 * with reason {@code timeout}) and steps not started end {@code ABORTED} with that reason. The
 * steps are scheduled by a {@link StepScheduler}, each is run by a {@link StepRunner}; a run that
 * does not start is ended by {@link UnstartedRuns}.
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
  private final String executor;
  private final LogShipping shipping;
  private final RunPreflight preflight;
  private final RunRecords records;
  private final StepScheduler scheduler;
  private final UnstartedRuns unstarted;
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

  private final Announcements announcements = new Announcements();

  public RunExecutor(Parts parts, Settings settings, Clock clock) {
    this.shipping = parts.shipping();
    this.executor = parts.runtime().name();
    this.blobs = parts.blobs();
    this.events = parts.events();
    this.cancellations = parts.cancellations();
    this.settings = settings;
    this.clock = clock;
    this.preflight = new RunPreflight(parts.runtime());
    this.records = new RunRecords(settings.workDir());
    this.steps =
        new StepRunner(
            parts.runtime(),
            parts.logs(),
            events,
            cancellations,
            settings,
            parts.outputs(),
            shipping,
            clock,
            announcements);
    this.scheduler =
        new StepScheduler(settings, clock, cancellations, parts.slots(), steps, records, events);
    this.unstarted = new UnstartedRuns(events, parts.logs(), shipping, clock);
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
    execute(run, () -> {});
  }

  /**
   * Executes the run to its end on the calling thread, calling {@code started} once its {@code
   * run.started} is published: from then on job-service holds the run to this runner's lease. The
   * working copy and the first steps are prepared while the broker acknowledges it; no step starts
   * before it has ({@link Announcements}).
   */
  public void execute(RunRequested run, Runnable started) {
    RunRequests.problem(run)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException(problem);
            });
    Instant startedAt = clock.instant();
    RunDeadline deadline = RunDeadline.after(startedAt, run.pipeline().timeLimit());
    java.util.concurrent.CompletableFuture<Void> announced =
        events.send(
            new RunStarted(
                id(),
                run.jobId(),
                run.runId(),
                startedAt,
                run.attempt(),
                settings.runnerId(),
                executor));
    announced.thenRun(started);
    announcements.runStarted(run, announced);
    try {
      executeAnnounced(run, deadline);
    } finally {
      announcements.forget(run);
    }
  }

  private void executeAnnounced(RunRequested run, RunDeadline deadline) {
    Path runDir = settings.workDir().resolve(run.runId());
    if (cancellations.isCancelled(run)) {
      unstarted.endUnstarted(run, ExecutionStatus.ABORTED, FailureReasons.CANCELLED);
      return;
    }
    java.util.Optional<String> unrunnable =
        preflight
            .problem(run)
            .or(() -> RunPreflight.refusal(run, settings.networkPolicy(), settings.secrets()));
    if (unrunnable.isPresent()) {
      unstarted.rejectBeforeStart(run, unrunnable.get());
      return;
    }
    try {
      projects.prepare(run.manifest(), runDir);
      Files.createDirectories(settings.dataDir());
    } catch (IOException | RuntimeException e) {
      log.warn("Run {}: could not prepare the working copy", run.runId(), e);
      unstarted.rejectBeforeStart(run, "could not prepare the working copy: " + e.getMessage());
      return;
    }
    records.request(run);
    try {
      scheduler.run(run, runDir, deadline, Map.of(), Map.of());
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
   * StepRunner#follow}), and the steps that had not started run as usual (also a step whose
   * container was created but never started). No {@code run.started}: the run started already.
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
      // only the container is left when its step's end is recorded and published; a container
      // created but never started (the kill came before the start) ran nothing, and waiting for
      // it would report an exit code 0 of nothing: its step runs as usual
      if (ended.containsKey(step.stepId())
          || following.containsKey(step.stepId())
          || !step.started()) {
        steps.discard(step);
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
      scheduler.run(run, runDir, deadline, ended, following);
    } finally {
      projects.release(runDir);
      shipping.runEnded(run);
    }
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.pipeline.Dag;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.StepHandle;
import io.gridrun.runner.runtime.StepLaunch;
import io.gridrun.runner.runtime.StepLaunchException;
import io.gridrun.runner.runtime.StepWorkspace;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.logs.StepLogStore;
import io.gridrun.storage.manifest.Materializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes one run: materialises its own working copy of the snapshot, then runs its steps in
 * dependency order (independent branches in parallel), publishing every step's start and end. When
 * a step does not succeed, the steps downstream of it never start and end {@code ABORTED}; other
 * branches go on.
 */
public class RunExecutor {

  private static final Logger log = LoggerFactory.getLogger(RunExecutor.class);
  public static final String UPSTREAM_FAILED = "upstream step failed";

  /** Where things are and how much may run at once. */
  public record Settings(
      Path workDir, Path dataDir, String runnerId, int stepParallelism, int metricsMaxBytes) {}

  private final ContainerRuntime runtime;
  private final BlobStore blobs;
  private final StepLogStore logs;
  private final ExecutionEvents events;
  private final Cancellations cancellations;
  private final Settings settings;
  private final Clock clock;

  public RunExecutor(
      ContainerRuntime runtime,
      BlobStore blobs,
      StepLogStore logs,
      ExecutionEvents events,
      Cancellations cancellations,
      Settings settings,
      Clock clock) {
    this.runtime = runtime;
    this.blobs = blobs;
    this.logs = logs;
    this.events = events;
    this.cancellations = cancellations;
    this.settings = settings;
    this.clock = clock;
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
    events.publish(
        new RunStarted(
            id(), run.jobId(), run.runId(), clock.instant(), run.attempt(), settings.runnerId()));
    Path runDir = settings.workDir().resolve(run.runId());
    if (cancellations.isCancelled(run.jobId(), run.runId())) {
      endUnstarted(run, ExecutionStatus.ABORTED, "cancelled");
      return;
    }
    try {
      deleteRecursively(runDir);
      new Materializer(blobs, 4).materialize(run.manifest(), runDir.resolve("project"));
      Files.createDirectories(settings.dataDir());
    } catch (IOException | RuntimeException e) {
      log.warn("Run {}: could not prepare the working copy", run.runId(), e);
      endUnstarted(
          run, ExecutionStatus.FAILURE, "could not prepare the working copy: " + e.getMessage());
      return;
    }
    new DagExecution(run, runDir).run();
  }

  /** Every step ends without having run, e.g. when the working copy could not be made. */
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
    private final Dag dag;
    private final Map<String, ExecutionStatus> states = new LinkedHashMap<>();

    DagExecution(RunRequested run, Path runDir) {
      this.run = run;
      this.runDir = runDir;
      this.dag = Dag.of(run.pipeline());
      run.pipeline().steps().forEach(s -> states.put(s.id(), ExecutionStatus.PENDING));
    }

    void run() {
      int parallelism = Math.max(1, Math.min(settings.stepParallelism(), states.size()));
      ExecutorService pool = Executors.newFixedThreadPool(parallelism);
      CompletionService<StepOutcome> done = new ExecutorCompletionService<>(pool);
      try {
        int inFlight = 0;
        while (true) {
          for (StepDefinition step : run.pipeline().steps()) {
            if (states.get(step.id()) == ExecutionStatus.PENDING && dependenciesSucceeded(step)) {
              states.put(step.id(), ExecutionStatus.STARTED);
              done.submit(() -> runStep(step));
              inFlight++;
            }
          }
          if (inFlight == 0) {
            break;
          }
          StepOutcome outcome = take(done);
          inFlight--;
          states.put(outcome.stepId(), outcome.status());
          if (outcome.status() != ExecutionStatus.SUCCESS) {
            abortDownstream(outcome.stepId());
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    private boolean dependenciesSucceeded(StepDefinition step) {
      return step.dependsOn().stream().allMatch(d -> states.get(d) == ExecutionStatus.SUCCESS);
    }

    private void abortDownstream(String failed) {
      for (String step : dag.downstreamOf(failed)) {
        if (states.get(step) == ExecutionStatus.PENDING) {
          states.put(step, ExecutionStatus.ABORTED);
          finished(run, step, ExecutionStatus.ABORTED, null, UPSTREAM_FAILED, null, Map.of());
        }
      }
    }

    private StepOutcome take(CompletionService<StepOutcome> done) {
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

    private StepOutcome runStep(StepDefinition step) {
      Instant started = clock.instant();
      StepWorkspace workspace =
          new StepWorkspace(
              runDir.resolve("project"),
              settings.dataDir(),
              runDir.resolve("gridrun").resolve(step.id()));
      try (OutputStream output = logs.create(run.runId(), step.id())) {
        Files.createDirectories(workspace.gridrun());
        Files.writeString(workspace.paramsFile(), StepEnvironment.paramsJson(run, step));
        Files.deleteIfExists(workspace.metricsFile());
        events.publish(
            new StepStarted(id(), run.jobId(), run.runId(), step.id(), started, run.attempt()));
        return execute(step, workspace, output, started);
      } catch (IOException e) {
        return end(
            step,
            ExecutionStatus.FAILURE,
            null,
            "could not prepare the step: " + e.getMessage(),
            started,
            Map.of());
      }
    }

    private StepOutcome execute(
        StepDefinition step, StepWorkspace workspace, OutputStream output, Instant started)
        throws IOException {
      PinnedEnvironment environment = run.environments().get(step.environment());
      if (environment == null) {
        return end(
            step,
            ExecutionStatus.FAILURE,
            null,
            "environment '" + step.environment() + "' is not in the snapshot",
            started,
            Map.of());
      }
      StepLaunch launch =
          new StepLaunch(
              environment.runnableImage(),
              step.effectiveCommand(),
              StepEnvironment.of(run, step, runtime.pathsFor(workspace)),
              workspace,
              Map.of(
                  StepLaunch.LABEL_JOB, run.jobId(),
                  StepLaunch.LABEL_RUN, run.runId(),
                  StepLaunch.LABEL_STEP, step.id(),
                  StepLaunch.LABEL_RUNNER, settings.runnerId()));
      int exitCode;
      try (StepHandle handle = runtime.start(launch, output)) {
        cancellations.started(run.jobId(), run.runId(), step.id(), handle);
        try {
          exitCode = handle.waitFor();
        } catch (InterruptedException e) {
          handle.kill();
          Thread.currentThread().interrupt();
          return end(
              step, ExecutionStatus.ABORTED, null, "runner shutting down", started, Map.of());
        } finally {
          cancellations.ended(run.jobId(), run.runId(), step.id());
        }
      } catch (StepLaunchException e) {
        note(output, e.getMessage());
        return end(step, ExecutionStatus.FAILURE, null, e.getMessage(), started, Map.of());
      } catch (RuntimeException e) {
        // the engine went away mid-step, say: this step fails, the rest of the run goes on
        log.warn("Run {} step {}: the runtime failed", run.runId(), step.id(), e);
        String reason = "the " + runtime.name() + " runtime failed: " + e.getMessage();
        note(output, reason);
        return end(step, ExecutionStatus.FAILURE, null, reason, started, Map.of());
      }
      MetricsFile.Reading metrics =
          MetricsFile.read(workspace.metricsFile(), settings.metricsMaxBytes());
      if (metrics.note() != null) {
        note(output, metrics.note());
      }
      if (cancellations.isCancelled(run.jobId(), run.runId())) {
        return end(
            step, ExecutionStatus.ABORTED, exitCode, "cancelled", started, metrics.metrics());
      }
      return exitCode == 0
          ? end(step, ExecutionStatus.SUCCESS, 0, null, started, metrics.metrics())
          : end(
              step,
              ExecutionStatus.FAILURE,
              exitCode,
              "exit code " + exitCode,
              started,
              metrics.metrics());
    }

    private StepOutcome end(
        StepDefinition step,
        ExecutionStatus status,
        Integer exitCode,
        String reason,
        Instant started,
        Map<String, Object> metrics) {
      finished(run, step.id(), status, exitCode, reason, started, metrics);
      return new StepOutcome(step.id(), status);
    }
  }

  private record StepOutcome(String stepId, ExecutionStatus status) {}

  /** A line from gridrun itself in the step's log, on a line of its own. */
  private static void note(OutputStream output, String text) {
    try {
      output.write(("\ngridrun: " + text + "\n").getBytes(StandardCharsets.UTF_8));
      output.flush();
    } catch (IOException e) {
      log.warn("Could not write to a step log: {}", e.getMessage());
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.pipeline.RetryPolicy;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.pipeline.StepResources;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.LeftStep;
import io.gridrun.runner.runtime.StepExit;
import io.gridrun.runner.runtime.StepHandle;
import io.gridrun.runner.runtime.StepIsolation;
import io.gridrun.runner.runtime.StepWorkspace;
import io.gridrun.runner.storage.LogShipping;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one step of a run to its end: up to {@code 1 + retries.max} attempts, each killed when it
 * outlives the step's {@code timeout} or the run's, with the retry policy's wait between them.
 * Every attempt's output goes to the step's one log, after a {@code --- attempt n of m ---} line
 * when the step may be retried; the log is capped. Publishes the step's start and its end with
 * every attempt.
 */
final class StepRunner {

  private static final Logger log = LoggerFactory.getLogger(StepRunner.class);

  /** How a step ended, for the scheduling of the rest of its run. */
  record Outcome(String stepId, ExecutionStatus status) {}

  /** Why no further attempt is made although the policy would allow one. */
  private record Stop(ExecutionStatus status, String reason) {}

  private final ContainerRuntime runtime;
  private final StepLogStore logs;
  private final ExecutionEvents events;
  private final Cancellations cancellations;
  private final RunExecutor.Settings settings;
  private final Clock clock;
  private final LogShipping shipping;
  private final StepLaunches launches;
  private final StepCompletion completion;
  private final Announcements announcements;

  StepRunner(
      ContainerRuntime runtime,
      StepLogStore logs,
      ExecutionEvents events,
      Cancellations cancellations,
      RunExecutor.Settings settings,
      StepOutputs outputs,
      LogShipping shipping,
      Clock clock,
      Announcements announcements) {
    this.announcements = announcements;
    this.shipping = shipping;
    this.runtime = runtime;
    this.logs = logs;
    this.events = events;
    this.cancellations = cancellations;
    this.settings = settings;
    this.clock = clock;
    this.launches = new StepLaunches(runtime, cancellations, settings, clock);
    this.completion = new StepCompletion(events, settings, outputs, shipping, clock);
  }

  Outcome run(RunRequested run, Path runDir, StepDefinition step, RunDeadline deadline) {
    Instant started = clock.instant();
    if (deadline.passed(started)) {
      return completion.finished(
          run, step, ExecutionStatus.ABORTED, null, FailureReasons.TIMEOUT, null, Map.of(), null);
    }
    StepWorkspace workspace = workspace(runDir, step);
    CappedLog output;
    try {
      output = openLog(run, step);
    } catch (IOException e) {
      return completion.cannotPrepare(run, step, started, e);
    }
    try (output) {
      Files.createDirectories(workspace.gridrun());
      // a new file, never written through a link a step may have left in its place
      Files.deleteIfExists(workspace.paramsFile());
      Files.writeString(
          workspace.paramsFile(),
          StepEnvironment.paramsJson(run, step),
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE,
          java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Files.deleteIfExists(workspace.metricsFile());
      StepHelpers.writeLibrary(workspace);
      if (StepEnvironment.isOrchest(run)) {
        StepHelpers.prepareTransfer(workspace);
      }
      java.util.concurrent.CompletableFuture<Void> announced =
          events.send(
              new StepStarted(id(), run.jobId(), run.runId(), step.id(), started, run.attempt()));
      Runnable beforeStart = announcements.beforeStart(run, announced, cancellations);
      return attempts(run, step, workspace, output, deadline, started, beforeStart);
    } catch (IOException e) {
      return completion.cannotPrepare(run, step, started, e);
    }
  }

  private Outcome attempts(
      RunRequested run,
      StepDefinition step,
      StepWorkspace workspace,
      CappedLog output,
      RunDeadline deadline,
      Instant started,
      Runnable beforeStart)
      throws IOException {
    RetryPolicy policy = step.retryPolicy();
    int total = policy.attempts();
    List<StepAttempt> attempts = new ArrayList<>();
    List<StepHandle> launched = new ArrayList<>();
    try {
      StepLaunches.Attempt last = null;
      Stop stop = null;
      for (int n = 1; n <= total; n++) {
        if (last != null) {
          Duration wait = policy.waitBefore(n);
          output.line(
              "gridrun: attempt "
                  + (n - 1)
                  + " failed ("
                  + last.reason()
                  + "); attempt "
                  + n
                  + " starts in "
                  + wait.toMillis()
                  + " ms");
          closeAll(launched); // an earlier attempt's container goes before the next one's
          stop = waitBeforeRetry(run, wait, deadline);
          if (stop != null) {
            output.line("gridrun: no further attempt: " + stop.reason());
            break;
          }
        }
        if (total > 1) {
          output.line("--- attempt " + n + " of " + total + " ---");
        }
        last = launches.attempt(run, step, workspace, output, deadline, launched, beforeStart);
        attempts.add(last.record(n));
        if (!last.retryable()) {
          break;
        }
      }
      ExecutionStatus status = stop != null ? stop.status() : last.status();
      String reason = stop != null ? stop.reason() : last.reason();
      return completion.conclude(
          run, step, workspace, output, status, last.exitCode(), reason, started, attempts);
    } finally {
      // removed (by a Docker runtime in the background) only now that the end is recorded
      closeAll(launched);
    }
  }

  private static void closeAll(List<StepHandle> handles) {
    for (StepHandle handle : handles) {
      try {
        handle.close();
      } catch (RuntimeException e) {
        log.warn("Could not close a step's container or process", e);
      }
    }
    handles.clear();
  }

  /**
   * Follows a step container an earlier runner process of this runner left (see {@link
   * ContainerRuntime#adopt}) to its end, as the run's attempt it belongs to: its whole output
   * becomes the step's log, its exit code and metrics its end, which is recorded and published
   * before the container is removed. The step is not launched again, whatever its retry policy.
   */
  Outcome follow(RunRequested run, Path runDir, StepDefinition step, LeftStep left) {
    Instant started = clock.instant();
    StepWorkspace workspace = workspace(runDir, step);
    StepHandle handle = null;
    try (CappedLog output = openLog(run, step)) {
      java.io.OutputStream stepOutput = MaskedOutput.of(output, secretValues(run, step, workspace));
      handle = runtime.adopt(left, stepOutput);
      cancellations.started(run, step.id(), handle);
      StepExit exit;
      try {
        exit = handle.waitFor();
      } finally {
        cancellations.ended(run, step.id());
        MaskedOutput.finish(stepOutput);
      }
      StepLaunches.Attempt last = launches.ended(run, step, exit, null, output, started, workspace);
      return completion.conclude(
          run,
          step,
          workspace,
          output,
          last.status(),
          last.exitCode(),
          last.reason(),
          started,
          List.of(last.record(1)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return completion.finished(
          run,
          step,
          ExecutionStatus.ABORTED,
          null,
          FailureReasons.SHUTTING_DOWN,
          started,
          Map.of(),
          null);
    } catch (IOException | RuntimeException e) {
      log.warn("Run {} step {}: could not follow its container", run.runId(), step.id(), e);
      return completion.finished(
          run,
          step,
          ExecutionStatus.FAILURE,
          null,
          "the runner could not follow the step after a restart: " + e.getMessage(),
          started,
          Map.of(),
          null);
    } finally {
      if (handle != null) {
        handle.close(); // removed only now that its end is recorded and published
      }
    }
  }

  private StepWorkspace workspace(Path runDir, StepDefinition step) {
    return new StepWorkspace(
        runDir.resolve("project"),
        settings.dataDir(),
        runDir.resolve("gridrun").resolve(step.id()));
  }

  /** The step's capped log, with its times and its live copy. */
  private CappedLog openLog(RunRequested run, StepDefinition step) throws IOException {
    return new CappedLog(
        shipping.live(run, step.id(), logs.create(run.runId(), step.id())),
        new java.io.OutputStreamWriter(
            logs.createTimes(run.runId(), step.id()), java.nio.charset.StandardCharsets.UTF_8),
        settings.maxLogBytes(),
        clock);
  }

  /** Removes a left step container that is not followed. */
  void discard(LeftStep left) {
    runtime.discard(left);
  }

  private List<String> secretValues(
      RunRequested run, StepDefinition step, StepWorkspace workspace) {
    try {
      return StepSecrets.open(
              StepEnvironment.of(run, step, runtime.pathsFor(workspace)), settings.secrets())
          .values();
    } catch (io.gridrun.common.secret.UnreadableSecretException e) {
      return List.of();
    }
  }

  /**
   * Waits before the next attempt, up to the run's deadline and unless the run is cancelled.
   *
   * @return why there is no next attempt, or null when it may start
   */
  private Stop waitBeforeRetry(RunRequested run, Duration wait, RunDeadline deadline) {
    var left = deadline.remaining(clock.instant());
    boolean runEndsFirst = left.isPresent() && left.get().compareTo(wait) <= 0;
    try {
      if (cancellations.awaitCancellation(run, runEndsFirst ? left.get() : wait)) {
        return new Stop(ExecutionStatus.ABORTED, FailureReasons.CANCELLED);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Stop(ExecutionStatus.ABORTED, FailureReasons.SHUTTING_DOWN);
    }
    return runEndsFirst ? new Stop(ExecutionStatus.FAILURE, FailureReasons.TIMEOUT) : null;
  }

  static StepIsolation isolationOf(StepDefinition step, PinnedEnvironment environment) {
    return isolationOf(step, environment, io.gridrun.common.pipeline.NetworkPolicy.ALLOWED);
  }

  static StepIsolation isolationOf(
      StepDefinition step,
      PinnedEnvironment environment,
      io.gridrun.common.pipeline.NetworkPolicy policy) {
    StepResources resources = step.resourceLimits();
    return new StepIsolation(
        boxed(resources.nanoCpus()),
        boxed(resources.memoryBytes()),
        policy.grants(step.wantsNetwork(environment.wantsNetwork())),
        step.user());
  }

  private static Long boxed(OptionalLong value) {
    return value.isPresent() ? value.getAsLong() : null;
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepFinished;
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
import io.gridrun.runner.runtime.StepLaunch;
import io.gridrun.runner.runtime.StepLaunchException;
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

  /** How one attempt ended. */
  private record Attempt(
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Instant finishedAt,
      boolean retryable) {

    StepAttempt record(int number) {
      return new StepAttempt(number, exitCode, reason, startedAt, finishedAt);
    }
  }

  /** Why no further attempt is made although the policy would allow one. */
  private record Stop(ExecutionStatus status, String reason) {}

  private final ContainerRuntime runtime;
  private final StepLogStore logs;
  private final ExecutionEvents events;
  private final Cancellations cancellations;
  private final RunExecutor.Settings settings;
  private final Clock clock;
  private final StepTimer timer = new StepTimer();
  private final RunRecords records;
  private final StepOutputs outputs;
  private final LogShipping shipping;

  StepRunner(
      ContainerRuntime runtime,
      StepLogStore logs,
      ExecutionEvents events,
      Cancellations cancellations,
      RunExecutor.Settings settings,
      StepOutputs outputs,
      LogShipping shipping,
      Clock clock) {
    this.outputs = outputs;
    this.shipping = shipping;
    this.runtime = runtime;
    this.logs = logs;
    this.events = events;
    this.cancellations = cancellations;
    this.settings = settings;
    this.clock = clock;
    this.records = new RunRecords(settings.workDir());
  }

  Outcome run(RunRequested run, Path runDir, StepDefinition step, RunDeadline deadline) {
    Instant started = clock.instant();
    if (deadline.passed(started)) {
      return finished(
          run, step, ExecutionStatus.ABORTED, null, FailureReasons.TIMEOUT, null, Map.of(), null);
    }
    StepWorkspace workspace =
        new StepWorkspace(
            runDir.resolve("project"),
            settings.dataDir(),
            runDir.resolve("gridrun").resolve(step.id()));
    CappedLog output;
    try {
      output =
          new CappedLog(
              shipping.live(run, step.id(), logs.create(run.runId(), step.id())),
              new java.io.OutputStreamWriter(
                  logs.createTimes(run.runId(), step.id()),
                  java.nio.charset.StandardCharsets.UTF_8),
              settings.maxLogBytes(),
              clock);
    } catch (IOException e) {
      return cannotPrepare(run, step, started, e);
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
      events.publish(
          new StepStarted(id(), run.jobId(), run.runId(), step.id(), started, run.attempt()));
      return attempts(run, step, workspace, output, deadline, started);
    } catch (IOException e) {
      return cannotPrepare(run, step, started, e);
    }
  }

  private Outcome attempts(
      RunRequested run,
      StepDefinition step,
      StepWorkspace workspace,
      CappedLog output,
      RunDeadline deadline,
      Instant started)
      throws IOException {
    RetryPolicy policy = step.retryPolicy();
    int total = policy.attempts();
    List<StepAttempt> attempts = new ArrayList<>();
    Attempt last = null;
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
        stop = waitBeforeRetry(run, wait, deadline);
        if (stop != null) {
          output.line("gridrun: no further attempt: " + stop.reason());
          break;
        }
      }
      if (total > 1) {
        output.line("--- attempt " + n + " of " + total + " ---");
      }
      last = attempt(run, step, workspace, output, deadline);
      attempts.add(last.record(n));
      if (!last.retryable()) {
        break;
      }
    }
    ExecutionStatus status = stop != null ? stop.status() : last.status();
    String reason = stop != null ? stop.reason() : last.reason();
    return conclude(
        run, step, workspace, output, status, last.exitCode(), reason, started, attempts);
  }

  /** Keeps the step's outputs, reads its metrics, stores its log, then publishes its end. */
  private Outcome conclude(
      RunRequested run,
      StepDefinition step,
      StepWorkspace workspace,
      CappedLog output,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant started,
      List<StepAttempt> attempts)
      throws IOException {
    outputs.keep(run.runId(), step.id(), workspace, output);
    MetricsFile.Reading metrics =
        MetricsFile.read(workspace.metricsFile(), settings.metricsMaxBytes());
    if (metrics.note() != null) {
      output.line("gridrun: " + metrics.note());
    }
    output.close(); // complete, truncation noted, before the step's end is published
    shipping.stored(run, step.id()); // where every reader finds it, before the end too
    return finished(run, step, status, exitCode, reason, started, metrics.metrics(), attempts);
  }

  /**
   * Follows a step container an earlier runner process of this runner left (see {@link
   * ContainerRuntime#adopt}) to its end, as the run's attempt it belongs to: its whole output
   * becomes the step's log, its exit code and metrics its end, which is recorded and published
   * before the container is removed. The step is not launched again, whatever its retry policy.
   */
  Outcome follow(RunRequested run, Path runDir, StepDefinition step, LeftStep left) {
    Instant started = clock.instant();
    StepWorkspace workspace =
        new StepWorkspace(
            runDir.resolve("project"),
            settings.dataDir(),
            runDir.resolve("gridrun").resolve(step.id()));
    StepHandle handle = null;
    try (CappedLog output =
        new CappedLog(
            shipping.live(run, step.id(), logs.create(run.runId(), step.id())),
            new java.io.OutputStreamWriter(
                logs.createTimes(run.runId(), step.id()), java.nio.charset.StandardCharsets.UTF_8),
            settings.maxLogBytes(),
            clock)) {
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
      Attempt last = ended(run, step, exit, null, output, started, workspace);
      return conclude(
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
      return finished(
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
      return finished(
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

  private Attempt attempt(
      RunRequested run,
      StepDefinition step,
      StepWorkspace workspace,
      CappedLog output,
      RunDeadline deadline)
      throws IOException {
    Instant start = clock.instant();
    Files.deleteIfExists(workspace.metricsFile());
    StepHelpers.resetAttempt(workspace);
    PinnedEnvironment environment = run.environments().get(step.environment());
    if (environment == null) {
      String reason = "environment '" + step.environment() + "' is not in the snapshot";
      return new Attempt(ExecutionStatus.FAILURE, null, reason, start, clock.instant(), false);
    }
    boolean wantsNetwork = step.wantsNetwork(environment.wantsNetwork());
    if (settings.networkPolicy().refuses(wantsNetwork)) {
      String reason = io.gridrun.common.pipeline.NetworkPolicy.refusal(step.id());
      output.line("gridrun: " + reason);
      return new Attempt(ExecutionStatus.FAILURE, null, reason, start, clock.instant(), false);
    }
    StepSecrets secrets;
    try {
      secrets =
          StepSecrets.open(
              StepEnvironment.of(run, step, runtime.pathsFor(workspace)), settings.secrets());
    } catch (io.gridrun.common.secret.UnreadableSecretException e) {
      output.line("gridrun: " + e.getMessage());
      return new Attempt(
          ExecutionStatus.FAILURE, null, e.getMessage(), start, clock.instant(), false);
    }
    java.io.OutputStream stepOutput = MaskedOutput.of(output, secrets.values());
    StepLaunch launch =
        new StepLaunch(
            environment.runnableImage(),
            StepHelpers.command(step, runtime.pathsFor(workspace)),
            StepHelpers.environment(
                secrets.variables(),
                runtime.pathsFor(workspace),
                !"process".equals(runtime.name())),
            workspace,
            Map.of(
                StepLaunch.LABEL_JOB, run.jobId(),
                StepLaunch.LABEL_RUN, run.runId(),
                StepLaunch.LABEL_ATTEMPT, String.valueOf(run.attempt()),
                StepLaunch.LABEL_STEP, step.id(),
                StepLaunch.LABEL_RUNNER, settings.runnerId()),
            isolationOf(step, environment, settings.networkPolicy()));
    launch = launch.withTimeLimit(shortest(step.timeLimit(), deadline.remaining(start)));
    if (cancellations.isCancelled(run)) {
      // given up or cancelled meanwhile: never launched, so nothing of it can run on
      return new Attempt(
          ExecutionStatus.ABORTED, null, FailureReasons.CANCELLED, start, clock.instant(), false);
    }
    StepExit exit;
    StepTimer.Expiry expiry;
    try (StepHandle handle = runtime.start(launch, stepOutput)) {
      cancellations.started(run, step.id(), handle);
      StepTimer.Alarm alarm = timer.arm(handle, step.timeLimit(), deadline.remaining(start));
      try {
        exit = handle.waitFor();
      } catch (InterruptedException e) {
        handle.kill();
        Thread.currentThread().interrupt();
        return new Attempt(
            ExecutionStatus.ABORTED,
            null,
            FailureReasons.SHUTTING_DOWN,
            start,
            clock.instant(),
            false);
      } finally {
        alarm.disarm();
        cancellations.ended(run, step.id());
      }
      expiry = alarm.expiry();
    } catch (StepLaunchException e) {
      output.line("gridrun: " + e.getMessage());
      return new Attempt(
          ExecutionStatus.FAILURE, null, e.getMessage(), start, clock.instant(), !e.permanent());
    } catch (RuntimeException e) {
      // the engine went away mid-step, say: this attempt fails, the rest of the run goes on
      log.warn("Run {} step {}: the runtime failed", run.runId(), step.id(), e);
      String reason = "the " + runtime.name() + " runtime failed: " + e.getMessage();
      output.line("gridrun: " + reason);
      return new Attempt(ExecutionStatus.FAILURE, null, reason, start, clock.instant(), true);
    } finally {
      MaskedOutput.finish(stepOutput);
    }
    return ended(run, step, exit, expiry, output, start, workspace);
  }

  /** What an attempt that ran means: success, or the clearest reason why not. */
  private Attempt ended(
      RunRequested run,
      StepDefinition step,
      StepExit exit,
      StepTimer.Expiry expiry,
      CappedLog output,
      Instant start,
      StepWorkspace workspace)
      throws IOException {
    Instant end = clock.instant();
    int code = exit.exitCode();
    if (cancellations.isCancelled(run)) {
      return new Attempt(
          ExecutionStatus.ABORTED, code, FailureReasons.CANCELLED, start, end, false);
    }
    if (code == 0) {
      return new Attempt(ExecutionStatus.SUCCESS, 0, null, start, end, false);
    }
    if (expiry == StepTimer.Expiry.RUN_TIMEOUT) {
      output.line("gridrun: killed: the run's timeout " + run.pipeline().timeout() + " passed");
      return new Attempt(ExecutionStatus.FAILURE, code, FailureReasons.TIMEOUT, start, end, false);
    }
    if (expiry == StepTimer.Expiry.STEP_TIMEOUT) {
      output.line("gridrun: killed: the step's timeout " + step.timeout() + " passed");
      return new Attempt(ExecutionStatus.FAILURE, code, FailureReasons.TIMEOUT, start, end, true);
    }
    if (exit.outOfMemory()) {
      output.line(
          "gridrun: killed by the kernel for exceeding the memory limit "
              + step.resourceLimits().memory());
      return new Attempt(
          ExecutionStatus.FAILURE, code, FailureReasons.OUT_OF_MEMORY, start, end, true);
    }
    String left = StepHelpers.leftReason(workspace);
    if (left != null) {
      // the step said why (a notebook's failing cell, a missing nbclient)
      boolean environmentLacks = left.startsWith("environment lacks ");
      return new Attempt(ExecutionStatus.FAILURE, code, left, start, end, !environmentLacks);
    }
    return new Attempt(
        ExecutionStatus.FAILURE, code, FailureReasons.exitCode(code), start, end, true);
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

  private static java.time.Duration shortest(
      java.util.Optional<java.time.Duration> a, java.util.Optional<java.time.Duration> b) {
    if (a.isPresent() && b.isPresent()) {
      return a.get().compareTo(b.get()) <= 0 ? a.get() : b.get();
    }
    return a.or(() -> b).orElse(null);
  }

  private Outcome cannotPrepare(
      RunRequested run, StepDefinition step, Instant started, IOException e) {
    return finished(
        run,
        step,
        ExecutionStatus.FAILURE,
        null,
        "could not prepare the step: " + e.getMessage(),
        started,
        Map.of(),
        null);
  }

  private Outcome finished(
      RunRequested run,
      StepDefinition step,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Map<String, Object> metrics,
      List<StepAttempt> attempts) {
    Instant now = clock.instant();
    StepFinished finished =
        new StepFinished(
            id(),
            run.jobId(),
            run.runId(),
            step.id(),
            now,
            run.attempt(),
            status,
            exitCode,
            reason,
            startedAt,
            now,
            metrics,
            attempts);
    records.finished(finished); // before it is published: a runner after this one knows it ended
    events.publish(finished);
    return new Outcome(step.id(), status);
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.StepExit;
import io.gridrun.runner.runtime.StepHandle;
import io.gridrun.runner.runtime.StepLaunch;
import io.gridrun.runner.runtime.StepLaunchException;
import io.gridrun.runner.runtime.StepWorkspace;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one attempt of a step of a {@link StepRunner}: launches it in the runtime with its
 * environment, secrets, isolation and time limit, waits for its end (killed when it outlives the
 * step's or the run's timeout) and says what that end means.
 */
final class StepLaunches {

  private static final Logger log = LoggerFactory.getLogger(StepLaunches.class);

  /** How one attempt ended. */
  record Attempt(
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

  private final ContainerRuntime runtime;
  private final Cancellations cancellations;
  private final RunExecutor.Settings settings;
  private final Clock clock;
  private final StepTimer timer = new StepTimer();

  StepLaunches(
      ContainerRuntime runtime,
      Cancellations cancellations,
      RunExecutor.Settings settings,
      Clock clock) {
    this.runtime = runtime;
    this.cancellations = cancellations;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Makes the attempt. A started step whose handle is {@linkplain StepHandle#closedOnceEndRecorded
   * closed once its end is recorded} (a container) is added to {@code started} for the caller to
   * close then (or before the next attempt): a runner killed in between leaves it to be adopted
   * rather than run again. Other handles are closed here. The runtime runs {@code beforeStart}
   * right before it starts the step ({@link Announcements#beforeStart}).
   *
   * @throws Announcements.NotAcknowledged when the step's or its run's start could not be published
   */
  Attempt attempt(
      RunRequested run,
      StepDefinition step,
      StepWorkspace workspace,
      CappedLog output,
      RunDeadline deadline,
      java.util.List<StepHandle> started,
      Runnable beforeStart)
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
            StepRunner.isolationOf(step, environment, settings.networkPolicy()));
    launch = launch.withTimeLimit(shortest(step.timeLimit(), deadline.remaining(start)));
    if (!cancellations.mayLaunch(run)) {
      // given up or cancelled meanwhile: never launched, so nothing of it can run on
      return new Attempt(
          ExecutionStatus.ABORTED, null, FailureReasons.CANCELLED, start, clock.instant(), false);
    }
    StepExit exit;
    StepTimer.Expiry expiry;
    try {
      StepHandle handle = runtime.start(launch, stepOutput, beforeStart);
      try {
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
      } finally {
        if (handle.closedOnceEndRecorded()) {
          started.add(handle);
        } else {
          handle.close();
        }
      }
    } catch (StepLaunchException e) {
      output.line("gridrun: " + e.getMessage());
      return new Attempt(
          ExecutionStatus.FAILURE, null, e.getMessage(), start, clock.instant(), !e.permanent());
    } catch (Announcements.LaunchWithdrawn e) {
      // given up or cancelled while its start waited: removed before it ever ran
      return new Attempt(
          ExecutionStatus.ABORTED, null, FailureReasons.CANCELLED, start, clock.instant(), false);
    } catch (Announcements.NotAcknowledged e) {
      throw e; // nothing of the attempt can be reported: it ends here, as a failed send always did
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
  Attempt ended(
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

  private static java.time.Duration shortest(
      java.util.Optional<java.time.Duration> a, java.util.Optional<java.time.Duration> b) {
    if (a.isPresent() && b.isPresent()) {
      return a.get().compareTo(b.get()) <= 0 ? a.get() : b.get();
    }
    return a.or(() -> b).orElse(null);
  }
}

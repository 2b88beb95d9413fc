package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The acknowledgements a step's start waits for: its attempt's {@code run.started} and its own
 * {@code step.started}. Both are sent without waiting, so that the broker's round trips overlap
 * with the working copy, the step's files and the container's creation; the runtime then waits for
 * them right before it starts the step ({@link #beforeStart}). Nothing runs before job-service can
 * know that it does, as when each send was awaited on its own.
 */
final class Announcements {

  /** As long as a send is awaited anywhere else in the runner. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  /** An announcement the broker did not acknowledge: the attempt cannot go on. */
  static final class NotAcknowledged extends RuntimeException {
    NotAcknowledged(String what, Throwable cause) {
      super("could not publish the " + what, cause);
    }
  }

  /** The attempt may not launch steps any more (given up or cancelled while its start waited). */
  static final class LaunchWithdrawn extends RuntimeException {
    LaunchWithdrawn() {
      super(FailureReasons.CANCELLED, null, false, false);
    }
  }

  private final Map<String, CompletableFuture<Void>> runsStarted = new ConcurrentHashMap<>();

  /** The attempt's {@code run.started} is on its way. */
  void runStarted(RunRequested run, CompletableFuture<Void> acknowledged) {
    runsStarted.put(key(run), acknowledged);
  }

  /** The attempt's execution ended here. */
  void forget(RunRequested run) {
    runsStarted.remove(key(run));
  }

  /**
   * Waits for the attempt's {@code run.started} (when sent here) and the step's {@code
   * step.started}; then checks that the attempt may still launch steps.
   *
   * @throws NotAcknowledged when either could not be published
   * @throws LaunchWithdrawn when the attempt was given up or cancelled meanwhile
   */
  Runnable beforeStart(
      RunRequested run, CompletableFuture<Void> stepStarted, Cancellations cancellations) {
    return () -> {
      CompletableFuture<Void> runStarted = runsStarted.get(key(run));
      if (runStarted != null) {
        await(runStarted, "run.started of " + run.runId());
      }
      await(stepStarted, "step.started of " + run.runId());
      if (!cancellations.mayLaunch(run)) {
        throw new LaunchWithdrawn();
      }
    };
  }

  private static void await(CompletableFuture<Void> acknowledged, String what) {
    try {
      acknowledged.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotAcknowledged(what, e);
    } catch (ExecutionException e) {
      throw new NotAcknowledged(what, e.getCause());
    } catch (TimeoutException e) {
      throw new NotAcknowledged(what, e);
    }
  }

  private static String key(RunRequested run) {
    return run.runId() + "#" + run.attempt();
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.runtime.StepHandle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs, jobs and single attempts whose cancellation this runner heard of, and the steps it has
 * running, so that a cancellation kills what runs and stops what has not started. An attempt is
 * cancelled alone when job-service requested the run again (the attempt was lost) or when this
 * runner gives it up; the run's later attempts are not affected.
 */
public class Cancellations {

  /** Bounded: a run of a job cancelled long ago is stopped by job-service if it ever starts. */
  private final RecentKeys cancelled = new RecentKeys(100_000);

  /**
   * Attempts the lease guard is giving up: none of their steps is launched from then on, while the
   * guard decides whether to kill the rest or to report an outcome whose every step had ended.
   * Apart from {@link #cancelled}: a step that ends meanwhile keeps its real status.
   */
  private final RecentKeys launchesStopped = new RecentKeys(10_000);

  private final Map<StepKey, StepHandle> running = new ConcurrentHashMap<>();

  record StepKey(String jobId, String runId, int attempt, String stepId) {}

  /** Cancels the run ({@code runId}) or every run of the job ({@code runId} null). */
  public void cancel(String jobId, String runId) {
    cancelled.add(runId == null ? "job:" + jobId : "run:" + runId);
    wakeWaiters();
    running.forEach(
        (key, handle) -> {
          if (key.jobId().equals(jobId) && (runId == null || key.runId().equals(runId))) {
            handle.kill();
          }
        });
  }

  /** Cancels one attempt of a run, which this runner may or may not be executing. */
  public void cancelAttempt(String jobId, String runId, int attempt) {
    cancelled.add(attemptKey(runId, attempt));
    wakeWaiters();
    running.forEach(
        (key, handle) -> {
          if (key.runId().equals(runId) && key.attempt() == attempt) {
            handle.kill();
          }
        });
  }

  /**
   * Stops launching the attempt's steps, before the lease guard marks it abandoned: a step whose
   * dependencies' ends are acknowledged after that (the broker back) must not start. Steps already
   * running are left alone; {@link #cancelAttempt} kills them.
   */
  public void stopLaunches(String runId, int attempt) {
    launchesStopped.add(attemptKey(runId, attempt));
  }

  /**
   * Whether this attempt alone was cancelled (lost, or given up here) or its launches stopped:
   * nobody waits for anything more of it, so its steps not started yet are not started at all.
   */
  public boolean isAttemptCancelled(RunRequested run) {
    String key = attemptKey(run.runId(), run.attempt());
    return cancelled.contains(key) || launchesStopped.contains(key);
  }

  /** Whether a step of the attempt may be launched now. */
  boolean mayLaunch(RunRequested run) {
    return !isCancelled(run) && !launchesStopped.contains(attemptKey(run.runId(), run.attempt()));
  }

  public boolean isCancelled(RunRequested run) {
    return cancelled.contains("job:" + run.jobId())
        || cancelled.contains("run:" + run.runId())
        || cancelled.contains(attemptKey(run.runId(), run.attempt()));
  }

  /**
   * Waits up to {@code wait}, returning early when the run, its job or this attempt is cancelled.
   *
   * @return whether it is cancelled
   */
  synchronized boolean awaitCancellation(RunRequested run, Duration wait)
      throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (!isCancelled(run)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  void started(RunRequested run, String stepId, StepHandle handle) {
    running.put(key(run, stepId), handle);
    if (isCancelled(run)) {
      handle.kill();
    }
  }

  void ended(RunRequested run, String stepId) {
    running.remove(key(run, stepId));
  }

  private synchronized void wakeWaiters() {
    notifyAll();
  }

  private static StepKey key(RunRequested run, String stepId) {
    return new StepKey(run.jobId(), run.runId(), run.attempt(), stepId);
  }

  private static String attemptKey(String runId, int attempt) {
    return "attempt:" + runId + "#" + attempt;
  }
}

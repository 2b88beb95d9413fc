package io.gridrun.runner.execution;

import io.gridrun.runner.runtime.StepHandle;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs and jobs whose cancellation this runner heard of, and the steps it has running, so that a
 * cancellation kills what runs and stops what has not started.
 */
public class Cancellations {

  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final Map<StepKey, StepHandle> running = new ConcurrentHashMap<>();

  record StepKey(String jobId, String runId, String stepId) {}

  public void cancel(String jobId, String runId) {
    cancelled.add(runId == null ? "job:" + jobId : "run:" + runId);
    synchronized (this) {
      notifyAll();
    }
    running.forEach(
        (key, handle) -> {
          if (key.jobId().equals(jobId) && (runId == null || key.runId().equals(runId))) {
            handle.kill();
          }
        });
  }

  public boolean isCancelled(String jobId, String runId) {
    return cancelled.contains("job:" + jobId) || cancelled.contains("run:" + runId);
  }

  /**
   * Waits up to {@code wait}, returning early when the run or its job is cancelled.
   *
   * @return whether the run is cancelled
   */
  synchronized boolean awaitCancellation(String jobId, String runId, java.time.Duration wait)
      throws InterruptedException {
    long end = System.nanoTime() + wait.toNanos();
    while (!isCancelled(jobId, runId)) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  void started(String jobId, String runId, String stepId, StepHandle handle) {
    running.put(new StepKey(jobId, runId, stepId), handle);
    if (isCancelled(jobId, runId)) {
      handle.kill();
    }
  }

  void ended(String jobId, String runId, String stepId) {
    running.remove(new StepKey(jobId, runId, stepId));
  }
}

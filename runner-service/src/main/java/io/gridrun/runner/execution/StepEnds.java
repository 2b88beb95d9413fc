package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Builds the {@code step.finished} event of a step of a run's attempt, stamped with the clock's now
 * (its time and its {@code finishedAt}): the one place {@link RunExecutor}'s collaborators and
 * {@link StepRunner} make a step's end.
 */
final class StepEnds {

  private StepEnds() {}

  /** The end of a step that never ran: no exit code, no start, no metrics, no tries. */
  static StepFinished unstarted(
      Clock clock, RunRequested run, String stepId, ExecutionStatus status, String reason) {
    return of(clock, run, stepId, status, null, reason, null, Map.of(), null);
  }

  /**
   * @param startedAt null when the step never started
   * @param attempts every try of the step; null or empty when it never started
   */
  static StepFinished of(
      Clock clock,
      RunRequested run,
      String stepId,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Map<String, Object> metrics,
      List<StepAttempt> attempts) {
    Instant now = clock.instant();
    return new StepFinished(
        UUID.randomUUID().toString(),
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
        metrics,
        attempts);
  }
}

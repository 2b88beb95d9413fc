package io.gridrun.job.application;

import io.gridrun.common.event.StepFinished;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.StepState;
import io.gridrun.job.domain.port.StatusEvents;

/**
 * Publishes again the status events of a step end that the run already holds. A batch's status
 * sends are awaited at its end, after its writes: a crash in between keeps the run's end in the
 * store and loses its events, and the redelivered step end, finding nothing to change, would send
 * them nowhere (CI's whole-stack kill lost a run's SUCCESS that way). At least once rather than
 * lost: a consumer may see such an end twice.
 */
final class RedeliveredEnds {

  private final StatusEvents status;

  RedeliveredEnds(StatusEvents status) {
    this.status = status;
  }

  /** The step's end and, if the run has ended, the run's, when the run holds this very end. */
  void sayAgain(RunRecord run, StepFinished end) {
    if (run.attempt() != end.attempt()) {
      return;
    }
    StepState step =
        run.steps().stream().filter(s -> s.id().equals(end.stepId())).findFirst().orElse(null);
    if (step == null || step.status() != end.status() || !step.status().isTerminal()) {
      return;
    }
    String started = ExecutionStatus.STARTED.name();
    status.step(
        run.jobId(),
        run.id(),
        step.id(),
        run.batch(),
        started,
        step.status().name(),
        step.reason(),
        step.finishedAt());
    if (run.status().isTerminal()) {
      status.run(
          run.jobId(),
          run.id(),
          run.batch(),
          started,
          run.status().name(),
          run.reason(),
          run.finishedAt());
    }
  }
}

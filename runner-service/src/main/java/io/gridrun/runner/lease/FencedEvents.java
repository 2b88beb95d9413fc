package io.gridrun.runner.lease;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.runner.execution.ExecutionEvents;

/**
 * Publishes a run's execution events unless their attempt was abandoned here: an abandoned
 * attempt's steps are killed, and their endings must not reach job-service as if the run had ended.
 */
public class FencedEvents implements ExecutionEvents {

  private final ExecutionEvents out;
  private final AttemptsInFlight inFlight;

  public FencedEvents(ExecutionEvents out, AttemptsInFlight inFlight) {
    this.out = out;
    this.inFlight = inFlight;
  }

  @Override
  public void publish(GridrunEvent event) {
    if (!abandoned(event)) {
      out.publish(event);
    }
  }

  private boolean abandoned(GridrunEvent event) {
    if (event instanceof RunStarted e) {
      return inFlight.isAbandoned(e.runId(), e.attempt());
    } else if (event instanceof StepStarted e) {
      return inFlight.isAbandoned(e.runId(), e.attempt());
    } else if (event instanceof StepFinished e) {
      return inFlight.isAbandoned(e.runId(), e.attempt());
    }
    return false;
  }
}

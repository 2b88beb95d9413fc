package io.gridrun.runner.lease;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.runner.execution.ExecutionEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's execution events unless their attempt was abandoned here: an abandoned
 * attempt's steps are killed, and their endings must not reach job-service as if the run had ended.
 */
public class FencedEvents implements ExecutionEvents {

  private static final Logger log = LoggerFactory.getLogger(FencedEvents.class);

  private final ExecutionEvents out;
  private final AttemptsInFlight inFlight;

  public FencedEvents(ExecutionEvents out, AttemptsInFlight inFlight) {
    this.out = out;
    this.inFlight = inFlight;
  }

  /**
   * Publishes the event unless its attempt was given up. A failed publish of an attempt given up
   * meanwhile (the broker was away) is dropped: such an attempt either reports nothing more, or,
   * when every step of it had ended, has its outcome reported by {@link LateReports}.
   */
  @Override
  public void publish(GridrunEvent event) {
    if (abandoned(event)) {
      return;
    }
    try {
      out.publish(event);
    } catch (RuntimeException e) {
      if (!abandoned(event)) {
        throw e;
      }
      log.info(
          "Could not publish a {} of an attempt given up meanwhile: {}",
          event.getClass().getSimpleName(),
          e.toString());
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

package io.gridrun.runner.lease;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.runner.execution.ExecutionEvents;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's execution events unless their attempt was abandoned here: an abandoned
 * attempt's steps are killed, and their endings must not reach job-service as if the run had ended.
 */
public class FencedEvents implements ExecutionEvents {

  private static final Logger log = LoggerFactory.getLogger(FencedEvents.class);

  private final ExecutionEvents out;
  private final Function<GridrunEvent, CompletableFuture<Void>> sender;
  private final AttemptsInFlight inFlight;

  /** Events published through {@code out}; {@link #send} publishes and waits too. */
  public FencedEvents(ExecutionEvents out, AttemptsInFlight inFlight) {
    this(out, out::send, inFlight);
  }

  /**
   * @param out publishes an event and waits for the broker's acknowledgement
   * @param sender sends an event without waiting; its future completes with the acknowledgement
   */
  public FencedEvents(
      ExecutionEvents out,
      Function<GridrunEvent, CompletableFuture<Void>> sender,
      AttemptsInFlight inFlight) {
    this.out = out;
    this.sender = sender;
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

  /**
   * Sends the event unless its attempt was given up, without waiting; a failed send of an attempt
   * given up meanwhile counts as done, as in {@link #publish}.
   */
  @Override
  public CompletableFuture<Void> send(GridrunEvent event) {
    if (abandoned(event)) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> sent;
    try {
      sent = sender.apply(event);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.exceptionallyCompose(
        failure -> {
          if (!abandoned(event)) {
            return CompletableFuture.failedFuture(failure);
          }
          log.info(
              "Could not publish a {} of an attempt given up meanwhile: {}",
              event.getClass().getSimpleName(),
              failure.toString());
          return CompletableFuture.completedFuture(null);
        });
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

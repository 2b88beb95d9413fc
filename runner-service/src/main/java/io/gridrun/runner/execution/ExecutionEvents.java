package io.gridrun.runner.execution;

import io.gridrun.common.event.GridrunEvent;
import java.util.concurrent.CompletableFuture;

/** Where a run's events go; Kafka in the service, a list in tests. */
@FunctionalInterface
public interface ExecutionEvents {

  /** Publishes the event and returns once the broker acknowledged it. */
  void publish(GridrunEvent event);

  /**
   * Sends the event and returns at once: the future completes when the broker acknowledged it, or
   * fails when it could not. Whatever must not happen before the event is durable waits for it.
   * Without a way to send in the background, this publishes and waits.
   */
  default CompletableFuture<Void> send(GridrunEvent event) {
    try {
      publish(event);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}

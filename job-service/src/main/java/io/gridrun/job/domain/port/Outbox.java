package io.gridrun.job.domain.port;

import io.gridrun.common.event.GridrunEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Where the use cases put the events they cause (run requests, cancellations, releases, commands),
 * each on its topic under its job's key. The events go straight to the broker: job-service treats
 * the events it consumes as the source of truth and its documents as idempotent projections, so a
 * use case sends (and awaits) what a redelivery would have to repeat before the write that makes
 * the redelivered event look applied (docs/architecture.md, "Consistency without transactions").
 */
public interface Outbox {

  /** Sends the event; the future completes once the broker has it. */
  CompletableFuture<Void> send(GridrunEvent event);

  /** Sends the event and waits until the broker has it. */
  default void sendAndWait(GridrunEvent event) {
    send(event).join();
  }
}

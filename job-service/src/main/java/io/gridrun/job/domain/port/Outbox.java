package io.gridrun.job.domain.port;

import io.gridrun.common.event.GridrunEvent;
import java.util.concurrent.CompletableFuture;

/**
 * Where the use cases put the events they cause (run requests, cancellations, releases, commands),
 * each on its topic under its job's key. Today the events go straight to the broker; an outbox
 * table written with the job could implement this port later without touching the use cases.
 */
public interface Outbox {

  /** Sends the event; the future completes once the broker has it. */
  CompletableFuture<Void> send(GridrunEvent event);

  /** Sends the event and waits until the broker has it. */
  default void sendAndWait(GridrunEvent event) {
    send(event).join();
  }
}

package io.gridrun.job.application;

import io.gridrun.common.event.GridrunEvent;

/**
 * Events applied together: what they defer (job writes, dispatches, the wait for status events) is
 * done when the batch closes, which its caller does before it commits them.
 */
public interface EventBatch extends AutoCloseable {

  /** Applies the event within the batch. */
  void apply(GridrunEvent event);

  /** Does what the batch's events deferred; also after a failed event. */
  @Override
  void close();
}

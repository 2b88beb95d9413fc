package io.gridrun.runner.execution;

import io.gridrun.common.event.GridrunEvent;

/** Where a run's events go; Kafka in the service, a list in tests. */
@FunctionalInterface
public interface ExecutionEvents {
  void publish(GridrunEvent event);
}

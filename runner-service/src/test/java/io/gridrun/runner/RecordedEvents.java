package io.gridrun.runner;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.runner.execution.ExecutionEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The events a run published, in order. */
public class RecordedEvents implements ExecutionEvents {

  private final List<GridrunEvent> events = new ArrayList<>();

  @Override
  public synchronized void publish(GridrunEvent event) {
    events.add(event);
  }

  public synchronized List<GridrunEvent> all() {
    return List.copyOf(events);
  }

  public synchronized List<String> describe() {
    return events.stream()
        .map(
            e -> {
              if (e instanceof StepStarted s) {
                return "started " + s.stepId();
              }
              if (e instanceof StepFinished f) {
                return f.status() + " " + f.stepId();
              }
              return e.getClass().getSimpleName();
            })
        .toList();
  }

  public synchronized StepFinished finished(String stepId) {
    return finishedIfAny(stepId)
        .orElseThrow(() -> new AssertionError("no StepFinished for " + stepId + ": " + events));
  }

  public synchronized Optional<StepFinished> finishedIfAny(String stepId) {
    return events.stream()
        .filter(e -> e instanceof StepFinished f && f.stepId().equals(stepId))
        .map(StepFinished.class::cast)
        .findFirst();
  }

  public synchronized boolean hasStarted(String stepId) {
    return events.stream().anyMatch(e -> e instanceof StepStarted s && s.stepId().equals(stepId));
  }
}

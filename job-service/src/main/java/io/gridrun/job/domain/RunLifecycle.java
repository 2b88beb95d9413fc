package io.gridrun.job.domain;

import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How runner events move a run and its steps. Pure: returns the new run and the status changes,
 * never touching storage. Events of another attempt and moves out of terminal states are ignored,
 * so a late or redelivered event changes nothing.
 */
public final class RunLifecycle {

  private RunLifecycle() {}

  /** A status change of the run ({@code stepId} null) or of one of its steps. */
  public record Change(
      String stepId, ExecutionStatus previous, ExecutionStatus next, String reason, Instant at) {

    public boolean ofRun() {
      return stepId == null;
    }
  }

  /** The run after an event, with what changed; no changes means nothing to save. */
  public record Result(RunRecord run, List<Change> changes) {

    public boolean changed() {
      return !changes.isEmpty();
    }

    /**
     * Whether what run lists filter and sort on may have changed: the run's own status, or its
     * metrics, which come with a step's end.
     */
    public boolean changedSummary() {
      return changes.stream().anyMatch(c -> c.ofRun() || c.next().isTerminal());
    }

    /** The run's own terminal status if this event ended the run. */
    public boolean endedRun() {
      return changes.stream().anyMatch(c -> c.ofRun() && c.next().isTerminal());
    }

    public boolean startedRun() {
      return changes.stream().anyMatch(c -> c.ofRun() && c.next() == ExecutionStatus.STARTED);
    }
  }

  public static Result started(RunRecord run, RunStarted event) {
    if (event.attempt() != run.attempt()) {
      return new Result(run, List.of());
    }
    List<Change> changes = new ArrayList<>();
    RunRecord next = startRun(run, event.at(), changes);
    if (event.executor() != null && !event.executor().equals(next.executor())) {
      next = next.withExecutor(event.executor());
    }
    return new Result(next, changes);
  }

  public static Result stepStarted(RunRecord run, StepStarted event) {
    if (event.attempt() != run.attempt()) {
      return new Result(run, List.of());
    }
    List<Change> changes = new ArrayList<>();
    RunRecord next = startRun(run, event.at(), changes);
    List<StepState> steps = new ArrayList<>(next.steps());
    for (int i = 0; i < steps.size(); i++) {
      StepState step = steps.get(i);
      if (step.id().equals(event.stepId())
          && step.status().canTransitionTo(ExecutionStatus.STARTED)) {
        steps.set(
            i, new StepState(step.id(), ExecutionStatus.STARTED, null, null, event.at(), null));
        changes.add(
            new Change(step.id(), step.status(), ExecutionStatus.STARTED, null, event.at()));
      }
    }
    return new Result(withSteps(next, steps, next.metrics()), changes);
  }

  public static Result stepFinished(RunRecord run, StepFinished event) {
    if (event.attempt() != run.attempt()
        || event.status() == null
        || !event.status().isTerminal()) {
      return new Result(run, List.of());
    }
    List<Change> changes = new ArrayList<>();
    RunRecord next = run;
    if (event.startedAt() != null) {
      next = startRun(run, event.startedAt(), changes);
    }
    List<StepState> steps = new ArrayList<>(next.steps());
    Map<String, Map<String, Object>> metrics = new LinkedHashMap<>(next.metrics());
    for (int i = 0; i < steps.size(); i++) {
      StepState step = steps.get(i);
      if (step.id().equals(event.stepId()) && step.status().canTransitionTo(event.status())) {
        Instant finished = event.finishedAt() != null ? event.finishedAt() : event.at();
        Instant started = step.startedAt() != null ? step.startedAt() : event.startedAt();
        steps.set(
            i,
            new StepState(
                step.id(),
                event.status(),
                event.exitCode(),
                event.reason(),
                started,
                finished,
                event.attempts()));
        changes.add(new Change(step.id(), step.status(), event.status(), event.reason(), finished));
        if (!event.metrics().isEmpty()) {
          metrics.put(step.id(), event.metrics());
        }
      }
    }
    if (changes.isEmpty()) {
      return new Result(run, List.of());
    }
    next = withSteps(next, steps, metrics);
    return new Result(endRunIfAllStepsEnded(next, event.at(), changes), changes);
  }

  /**
   * Cancels the run: every step that has not ended is aborted, and so is the run, unless it ended
   * already.
   */
  public static Result aborted(RunRecord run, String reason, Instant at) {
    return ended(run, ExecutionStatus.ABORTED, reason, at);
  }

  /**
   * The run's current attempt was lost (its runner went silent or gave it up): the next attempt
   * starts from scratch, so the run and every step are {@code PENDING} again, without the lost
   * attempt's metrics. {@code reason} stays on the run until it ends.
   */
  public static Result requeued(RunRecord run, String reason, Instant at) {
    if (run.status().isTerminal()) {
      return new Result(run, List.of());
    }
    List<Change> changes = new ArrayList<>();
    List<StepState> steps = new ArrayList<>();
    for (StepState step : run.steps()) {
      steps.add(StepState.pending(step.id()));
      if (step.status() != ExecutionStatus.PENDING) {
        changes.add(new Change(step.id(), step.status(), ExecutionStatus.PENDING, reason, at));
      }
    }
    changes.add(new Change(null, run.status(), ExecutionStatus.PENDING, reason, at));
    RunRecord next =
        run.withProgress(
            ExecutionStatus.PENDING, run.attempt() + 1, steps, Map.of(), reason, null, null);
    return new Result(next, changes);
  }

  /**
   * The run cannot be executed (a runner rejected the request, or its runners were lost too often):
   * every step that has not ended fails with the reason, and so does the run.
   */
  public static Result failed(RunRecord run, String reason, Instant at) {
    return ended(run, ExecutionStatus.FAILURE, reason, at);
  }

  /** Ends every step that has not ended, and the run, with {@code status} and {@code reason}. */
  private static Result ended(RunRecord run, ExecutionStatus status, String reason, Instant at) {
    if (run.status().isTerminal()) {
      return new Result(run, List.of());
    }
    List<Change> changes = new ArrayList<>();
    List<StepState> steps = new ArrayList<>();
    for (StepState step : run.steps()) {
      if (step.status().isTerminal()) {
        steps.add(step);
      } else {
        Instant end = notBefore(at, step.startedAt());
        steps.add(new StepState(step.id(), status, step.exitCode(), reason, step.startedAt(), end));
        changes.add(new Change(step.id(), step.status(), status, reason, end));
      }
    }
    Instant end = notBefore(at, run.startedAt());
    changes.add(new Change(null, run.status(), status, reason, end));
    RunRecord next =
        run.withProgress(status, run.attempt(), steps, run.metrics(), reason, run.startedAt(), end);
    return new Result(next, changes);
  }

  /**
   * An end decided by job-service's clock is never before a start the runner's clock reported: the
   * two clocks differ (in precision on one host, in skew across hosts).
   */
  private static Instant notBefore(Instant at, Instant startedAt) {
    return startedAt != null && at.isBefore(startedAt) ? startedAt : at;
  }

  /** A run's status once all its steps ended: any failure fails it, else any abort aborts it. */
  public static ExecutionStatus outcome(List<StepState> steps) {
    if (steps.stream().anyMatch(s -> s.status() == ExecutionStatus.FAILURE)) {
      return ExecutionStatus.FAILURE;
    }
    if (steps.stream().anyMatch(s -> s.status() == ExecutionStatus.ABORTED)) {
      return ExecutionStatus.ABORTED;
    }
    return ExecutionStatus.SUCCESS;
  }

  private static RunRecord startRun(RunRecord run, Instant at, List<Change> changes) {
    if (!run.status().canTransitionTo(ExecutionStatus.STARTED)) {
      return run;
    }
    changes.add(new Change(null, run.status(), ExecutionStatus.STARTED, null, at));
    return run.withProgress(
        ExecutionStatus.STARTED,
        run.attempt(),
        run.steps(),
        run.metrics(),
        run.reason(),
        at,
        run.finishedAt());
  }

  private static RunRecord endRunIfAllStepsEnded(RunRecord run, Instant at, List<Change> changes) {
    if (run.status().isTerminal() || !run.steps().stream().allMatch(s -> s.status().isTerminal())) {
      return run;
    }
    ExecutionStatus outcome = outcome(run.steps());
    String reason =
        outcome == ExecutionStatus.SUCCESS
            ? null
            : run.steps().stream()
                .filter(s -> s.status() == outcome)
                .map(StepState::reason)
                .filter(r -> r != null)
                .findFirst()
                .orElse(null);
    changes.add(new Change(null, run.status(), outcome, reason, at));
    return run.withProgress(
        outcome, run.attempt(), run.steps(), run.metrics(), reason, run.startedAt(), at);
  }

  private static RunRecord withSteps(
      RunRecord run, List<StepState> steps, Map<String, Map<String, Object>> metrics) {
    return run.withProgress(
        run.status(),
        run.attempt(),
        steps,
        metrics,
        run.reason(),
        run.startedAt(),
        run.finishedAt());
  }
}

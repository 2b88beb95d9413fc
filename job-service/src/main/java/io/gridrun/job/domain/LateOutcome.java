package io.gridrun.job.domain;

import io.gridrun.common.event.StepFinished;
import io.gridrun.common.status.ExecutionStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rule for an outcome that arrives late: the step ends of an attempt that job-service gave up
 * for lost (its lease expired, or its runner gave it up) after it requested the run again. A runner
 * cut off from the broker while its steps end reports them once the broker is back, which may be
 * after the lease expired at job-service (see docs/reliability.md).
 *
 * <ul>
 *   <li>Such an end counts only while the next attempt has not started: the run is {@code PENDING}
 *       at the attempt right after the late one, and its lease (if any) is not started. Once the
 *       next attempt's runner was heard of, late ends change nothing, as before.
 *   <li>Late ends are kept (on the next attempt's lease) until there is one for every step of the
 *       run: only a whole outcome ends the run, since the next attempt starts from scratch and an
 *       attempt given up with a step still running never reports all its steps.
 *   <li>With one for every step, the run ends with them (as if they had arrived in time), and the
 *       next attempt is cancelled: a runner that takes its request is told to stop, and its {@code
 *       run.started} is refused (the run ended). The run keeps the next attempt's number, so that
 *       attempt numbers only grow.
 * </ul>
 */
public final class LateOutcome {

  private LateOutcome() {}

  /**
   * Whether {@code end} is a late end that may still count: of the attempt right before the run's
   * current one, which has not started ({@code lease} is the run's lease, if it has one).
   */
  public static boolean counts(RunRecord run, Optional<RunLease> lease, StepFinished end) {
    return end.attempt() == run.attempt() - 1
        && end.status() != null
        && end.status().isTerminal()
        && run.status() == ExecutionStatus.PENDING
        && lease.filter(l -> l.attempt() != run.attempt() || l.started()).isEmpty();
  }

  /** The late ends kept so far with {@code end} added: one per step, the last one heard wins. */
  public static List<StepFinished> kept(List<StepFinished> before, StepFinished end) {
    Map<String, StepFinished> byStep = new LinkedHashMap<>();
    for (StepFinished kept : before) {
      if (kept.attempt() == end.attempt()) {
        byStep.put(kept.stepId(), kept);
      }
    }
    byStep.put(end.stepId(), end);
    return List.copyOf(byStep.values());
  }

  /**
   * The run ended with the late attempt's outcome, once {@code ends} has one for every step of the
   * run; empty while some step's end is missing.
   */
  public static Optional<RunLifecycle.Result> outcome(RunRecord run, List<StepFinished> ends) {
    Map<String, StepFinished> byStep = new LinkedHashMap<>();
    ends.forEach(end -> byStep.put(end.stepId(), end));
    if (ends.isEmpty() || !run.steps().stream().allMatch(s -> byStep.containsKey(s.id()))) {
      return Optional.empty();
    }
    int late = ends.get(0).attempt();
    RunRecord current = run.withAttempt(late);
    List<RunLifecycle.Change> changes = new ArrayList<>();
    for (StepState step : run.steps()) {
      RunLifecycle.Result result = RunLifecycle.stepFinished(current, byStep.get(step.id()));
      current = result.run();
      changes.addAll(result.changes());
    }
    if (!current.status().isTerminal()) {
      return Optional.empty();
    }
    return Optional.of(new RunLifecycle.Result(current.withAttempt(run.attempt()), changes));
  }
}

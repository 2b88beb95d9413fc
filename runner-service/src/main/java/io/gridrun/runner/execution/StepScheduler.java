package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.Dag;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.runtime.LeftStep;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs the steps of one run of a {@link RunExecutor} in dependency order, independent branches in
 * parallel on a pool of the run's own, each step in one of the runner's slots: a step that does not
 * succeed aborts the steps downstream of it, the run's timeout or a cancellation aborts the steps
 * not started. Every abort is recorded and published as the step's end.
 */
final class StepScheduler {

  private final RunExecutor.Settings settings;
  private final Clock clock;
  private final Cancellations cancellations;
  private final StepSlots slots;
  private final StepRunner steps;
  private final RunRecords records;
  private final ExecutionEvents events;

  StepScheduler(
      RunExecutor.Settings settings,
      Clock clock,
      Cancellations cancellations,
      StepSlots slots,
      StepRunner steps,
      RunRecords records,
      ExecutionEvents events) {
    this.settings = settings;
    this.clock = clock;
    this.cancellations = cancellations;
    this.slots = slots;
    this.steps = steps;
    this.records = records;
    this.events = events;
  }

  /**
   * Runs the run's steps to their end on the calling thread.
   *
   * @param ended steps that ended before (a restart), with their status
   * @param following steps whose containers an earlier runner process left: followed, not launched
   */
  void run(
      RunRequested run,
      Path runDir,
      RunDeadline deadline,
      Map<String, ExecutionStatus> ended,
      Map<String, LeftStep> following) {
    new DagExecution(run, runDir, deadline, ended, following).run();
  }

  /** The steps of one run, scheduled as their dependencies succeed. */
  private final class DagExecution {
    private final RunRequested run;
    private final Path runDir;
    private final RunDeadline deadline;
    private final Dag dag;
    private final Map<String, ExecutionStatus> states = new LinkedHashMap<>();

    private final Map<String, LeftStep> following;

    /**
     * @param ended steps that ended before (a restart), with their status
     * @param following steps whose containers an earlier runner process left: followed, not
     *     launched
     */
    DagExecution(
        RunRequested run,
        Path runDir,
        RunDeadline deadline,
        Map<String, ExecutionStatus> ended,
        Map<String, LeftStep> following) {
      this.run = run;
      this.runDir = runDir;
      this.deadline = deadline;
      this.dag = Dag.of(run.pipeline());
      this.following = following;
      run.pipeline()
          .steps()
          .forEach(s -> states.put(s.id(), ended.getOrDefault(s.id(), ExecutionStatus.PENDING)));
    }

    /** The runner's limit, the pipeline's {@code maxStepParallelism}, and the number of steps. */
    private int parallelism() {
      Integer pipelineLimit = run.pipeline().maxStepParallelism();
      int limit = Math.min(settings.stepParallelism(), states.size());
      if (pipelineLimit != null) {
        limit = Math.min(limit, pipelineLimit);
      }
      return Math.max(1, limit);
    }

    void run() {
      int parallelism = parallelism();
      ExecutorService pool = Executors.newFixedThreadPool(parallelism);
      CompletionService<StepRunner.Outcome> done = new ExecutorCompletionService<>(pool);
      try {
        int inFlight = 0;
        for (StepDefinition step : run.pipeline().steps()) {
          LeftStep left = following.get(step.id());
          if (left != null && states.get(step.id()) == ExecutionStatus.PENDING) {
            states.put(step.id(), ExecutionStatus.STARTED);
            done.submit(() -> followInASlot(step, left));
            inFlight++;
          }
        }
        while (true) {
          if (deadline.passed(clock.instant())) {
            abortPending(FailureReasons.TIMEOUT);
          } else if (cancellations.isAttemptCancelled(run)) {
            abortPending(FailureReasons.CANCELLED);
          }
          for (StepDefinition step : run.pipeline().steps()) {
            if (inFlight < parallelism
                && states.get(step.id()) == ExecutionStatus.PENDING
                && dependenciesSucceeded(step)) {
              states.put(step.id(), ExecutionStatus.STARTED);
              done.submit(() -> inASlot(step));
              inFlight++;
            }
          }
          if (inFlight == 0) {
            break;
          }
          StepRunner.Outcome outcome = take(done);
          inFlight--;
          states.put(outcome.stepId(), outcome.status());
          if (outcome.status() != ExecutionStatus.SUCCESS) {
            if (deadline.passed(clock.instant())) {
              abortPending(FailureReasons.TIMEOUT);
            } else {
              abortDownstream(outcome.stepId());
            }
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }

    /** Runs the step once the runner has a free slot for it. */
    private StepRunner.Outcome inASlot(StepDefinition step) throws Exception {
      slots.take();
      try {
        return steps.run(run, runDir, step, deadline);
      } finally {
        slots.give();
      }
    }

    private StepRunner.Outcome followInASlot(StepDefinition step, LeftStep left) throws Exception {
      slots.take();
      try {
        return steps.follow(run, runDir, step, left);
      } finally {
        slots.give();
      }
    }

    private boolean dependenciesSucceeded(StepDefinition step) {
      return step.dependsOn().stream().allMatch(d -> states.get(d) == ExecutionStatus.SUCCESS);
    }

    private void abortDownstream(String failed) {
      for (String step : dag.downstreamOf(failed)) {
        abortIfPending(step, FailureReasons.UPSTREAM_FAILED);
      }
    }

    private void abortPending(String reason) {
      for (String step : List.copyOf(states.keySet())) {
        abortIfPending(step, reason);
      }
    }

    private void abortIfPending(String step, String reason) {
      if (states.get(step) == ExecutionStatus.PENDING) {
        states.put(step, ExecutionStatus.ABORTED);
        StepFinished aborted =
            StepEnds.unstarted(clock, run, step, ExecutionStatus.ABORTED, reason);
        records.finished(aborted); // recorded like every end of a step of the attempt's DAG
        events.publish(aborted);
      }
    }

    private StepRunner.Outcome take(CompletionService<StepRunner.Outcome> done) {
      try {
        return done.take().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running " + run.runId(), e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "a step of " + run.runId() + " crashed the runner", e.getCause());
      }
    }
  }
}

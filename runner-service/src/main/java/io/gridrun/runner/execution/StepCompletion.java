package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.runtime.StepWorkspace;
import io.gridrun.runner.storage.LogShipping;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Ends a step of a {@link StepRunner}: keeps what it left, stores its log, then records and
 * publishes its end.
 */
final class StepCompletion {

  private final ExecutionEvents events;
  private final RunExecutor.Settings settings;
  private final Clock clock;
  private final RunRecords records;
  private final StepOutputs outputs;
  private final LogShipping shipping;

  StepCompletion(
      ExecutionEvents events,
      RunExecutor.Settings settings,
      StepOutputs outputs,
      LogShipping shipping,
      Clock clock) {
    this.events = events;
    this.settings = settings;
    this.outputs = outputs;
    this.shipping = shipping;
    this.clock = clock;
    this.records = new RunRecords(settings.workDir());
  }

  /** Keeps the step's outputs, reads its metrics, stores its log, then publishes its end. */
  StepRunner.Outcome conclude(
      RunRequested run,
      StepDefinition step,
      StepWorkspace workspace,
      CappedLog output,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant started,
      List<StepAttempt> attempts)
      throws IOException {
    outputs.keep(run.runId(), step.id(), workspace, output);
    MetricsFile.Reading metrics =
        MetricsFile.read(workspace.metricsFile(), settings.metricsMaxBytes());
    if (metrics.note() != null) {
      output.line("gridrun: " + metrics.note());
    }
    output.close(); // complete, truncation noted, before the step's end is published
    shipping.stored(run, step.id()); // where every reader finds it, before the end too
    return finished(run, step, status, exitCode, reason, started, metrics.metrics(), attempts);
  }

  StepRunner.Outcome cannotPrepare(
      RunRequested run, StepDefinition step, Instant started, IOException e) {
    return finished(
        run,
        step,
        ExecutionStatus.FAILURE,
        null,
        "could not prepare the step: " + e.getMessage(),
        started,
        Map.of(),
        null);
  }

  StepRunner.Outcome finished(
      RunRequested run,
      StepDefinition step,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Map<String, Object> metrics,
      List<StepAttempt> attempts) {
    StepFinished finished =
        StepEnds.of(clock, run, step.id(), status, exitCode, reason, startedAt, metrics, attempts);
    records.finished(finished); // before it is published: a runner after this one knows it ended
    events.publish(finished);
    return new StepRunner.Outcome(step.id(), status);
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.storage.LogShipping;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run of a {@link RunExecutor} that does not start: every step ends without having run, its
 * end published (not recorded: the attempt's DAG never ran here).
 */
final class UnstartedRuns {

  private static final Logger log = LoggerFactory.getLogger(UnstartedRuns.class);

  private final ExecutionEvents events;
  private final StepLogStore logs;
  private final LogShipping shipping;
  private final Clock clock;

  UnstartedRuns(ExecutionEvents events, StepLogStore logs, LogShipping shipping, Clock clock) {
    this.events = events;
    this.logs = logs;
    this.shipping = shipping;
    this.clock = clock;
  }

  /**
   * The run cannot start here (an environment not pinned, an image missing, no working copy): the
   * runner rejects it with the reason ({@code run.rejected}, which fails the run at job-service
   * without another attempt), and every step ends {@code FAILURE} with that reason in its event and
   * its log, none of them launched.
   */
  void rejectBeforeStart(RunRequested run, String reason) {
    log.warn("Rejecting run {} attempt {}: {}", run.runId(), run.attempt(), reason);
    events.publish(
        new RunRejected(
            UUID.randomUUID().toString(),
            run.jobId(),
            run.runId(),
            clock.instant(),
            run.attempt(),
            reason));
    for (StepDefinition step : run.pipeline().steps()) {
      try (java.io.OutputStream out = logs.create(run.runId(), step.id())) {
        out.write(("gridrun: " + reason + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      } catch (IOException | RuntimeException e) {
        log.warn("Run {}: could not write the log of step {}", run.runId(), step.id(), e);
      }
      shipping.stored(run, step.id());
    }
    endUnstarted(run, ExecutionStatus.FAILURE, reason);
  }

  /** Every step ends without having run, e.g. when the run was cancelled before it started. */
  void endUnstarted(RunRequested run, ExecutionStatus status, String reason) {
    for (StepDefinition step : run.pipeline().steps()) {
      events.publish(StepEnds.unstarted(clock, run, step.id(), status, reason));
    }
  }
}

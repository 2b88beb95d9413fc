package io.gridrun.runner;

import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.lease.Heartbeats;
import io.gridrun.runner.messaging.RunSlots;
import java.time.Clock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run slot does with a request it is handed: waits for an earlier attempt of the run that
 * this runner adopted, skips an attempt that attempt's reported outcome supersedes or one in flight
 * here already, and otherwise executes it. The request is taken (see {@link RunSlots.Execution})
 * once its {@code run.started} is published, or as soon as an earlier attempt adopted here answers
 * for the run.
 */
final class SlotExecution implements RunSlots.Execution {

  private static final Logger log = LoggerFactory.getLogger(SlotExecution.class);

  private final BiConsumer<RunRequested, Runnable> executor;
  private final AttemptsInFlight inFlight;
  private final Heartbeats heartbeats;
  private final Clock clock;

  /**
   * @param executor executes a run to its end, calling its second argument once {@code run.started}
   *     is published ({@link RunExecutor#execute(RunRequested, Runnable)})
   */
  SlotExecution(
      BiConsumer<RunRequested, Runnable> executor,
      AttemptsInFlight inFlight,
      Heartbeats heartbeats,
      Clock clock) {
    this.executor = executor;
    this.inFlight = inFlight;
    this.heartbeats = heartbeats;
    this.clock = clock;
  }

  @Override
  public void execute(RunRequested run, Runnable taken) {
    // an earlier attempt adopted here (a killed predecessor left it) first reports its outcome,
    // which may end the run: then this attempt is not to be executed. The request is taken
    // meanwhile: that attempt, recorded here and leased, answers for the run if this runner dies
    if (inFlight.earlierAttemptInFlight(run)) {
      taken.run();
      awaitEarlierAttempts(run);
    }
    if (heartbeats.supersededByReportedOutcome(run)) {
      log.info(
          "Run {} attempt {} not executed: this runner reported attempt {}'s outcome,"
              + " with which job-service ends the run",
          run.runId(),
          run.attempt(),
          run.attempt() - 1);
      return;
    }
    if (!inFlight.beginExecutingIfAbsent(run, clock.instant())) {
      log.info(
          "Run {} attempt {} is in flight here already; request ignored",
          run.runId(),
          run.attempt());
      return;
    }
    try {
      executor.accept(run, taken);
    } finally {
      inFlight.end(run);
    }
  }

  private void awaitEarlierAttempts(RunRequested run) {
    try {
      inFlight.awaitEarlierAttempts(run, Heartbeats.giveUpAfter(run.effectiveLeaseTimeout()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

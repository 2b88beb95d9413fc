package io.gridrun.runner;

import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.messaging.RunSlots;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.LeftStep;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A runner that starts again on a host under the same runner id ({@code gridrun.runner.id}) adopts
 * the step containers its predecessor left (killed, crashed), found by their labels: each is
 * claimed at once (no sweep of dead runners' containers removes it then), and its attempt is
 * continued in a run slot with a lease of its own ({@link RunExecutor#resume}): a container still
 * running is followed to its end, an exited one's exit code, log and metrics are collected, steps
 * whose end was recorded are not run again, the rest of the run goes on. Containers whose run is
 * not recorded in this runner's work directory are removed, and so are the working-copy mounts its
 * predecessor left of runs that are not continued. Started before the run requests are consumed, so
 * that a request delivered again finds the attempt in flight here. An adopted attempt followed to
 * its end with every step's end published supersedes the run's next attempt here: job-service,
 * whose lease on it may have run out while the stack was down, ends the run with that outcome.
 */
class Adoption implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Adoption.class);

  private final ContainerRuntime runtime;
  private final RunExecutor executor;
  private final RunSlots slots;
  private final AttemptsInFlight inFlight;
  private final java.util.function.Consumer<RunRequested> outcomeReported;
  private final String runnerId;
  private final Clock clock;
  private volatile boolean running;

  Adoption(
      ContainerRuntime runtime,
      RunExecutor executor,
      RunSlots slots,
      AttemptsInFlight inFlight,
      java.util.function.Consumer<RunRequested> outcomeReported,
      String runnerId,
      Clock clock) {
    this.outcomeReported = outcomeReported;
    this.runtime = runtime;
    this.executor = executor;
    this.slots = slots;
    this.inFlight = inFlight;
    this.runnerId = runnerId;
    this.clock = clock;
  }

  @Override
  public void start() {
    running = true;
    List<LeftStep> left;
    try {
      left = runtime.leftBy(runnerId);
    } catch (RuntimeException e) {
      log.warn("Could not look for steps an earlier runner {} left", runnerId, e);
      return;
    }
    Map<String, List<LeftStep>> byAttempt = new LinkedHashMap<>();
    left.forEach(
        step ->
            byAttempt
                .computeIfAbsent(step.runId() + "#" + step.attempt(), k -> new ArrayList<>())
                .add(step));
    List<Runnable> continuations = new ArrayList<>();
    java.util.Set<String> resumed = new java.util.HashSet<>();
    for (List<LeftStep> steps : byAttempt.values()) {
      LeftStep first = steps.get(0);
      Optional<RunRequested> request =
          executor.recordedRequest(first.runId()).filter(r -> r.attempt() == first.attempt());
      if (request.isEmpty()) {
        log.info(
            "Removing {} containers of run {} attempt {}: the run is not recorded here",
            steps.size(),
            first.runId(),
            first.attempt());
        steps.forEach(runtime::discard);
        continue;
      }
      steps.forEach(runtime::claim);
      RunRequested run = request.get();
      resumed.add(run.runId());
      if (!inFlight.beginIfAbsent(run, clock.instant())) {
        continue;
      }
      log.info(
          "Adopting run {} attempt {}: {} step containers left by an earlier runner {}",
          run.runId(),
          run.attempt(),
          steps.size(),
          runnerId);
      continuations.add(() -> submit(run, steps));
    }
    int taken = executor.takeDownLeftMounts(resumed);
    if (taken > 0) {
      log.info("Took down {} working copy mounts of runs no runner resumes here", taken);
    }
    if (!continuations.isEmpty()) {
      // a slot may have to be waited for: never on the thread starting the application
      Thread submitter = new Thread(() -> continuations.forEach(Runnable::run), "runner-adoption");
      submitter.setDaemon(true);
      submitter.start();
    }
  }

  private void submit(RunRequested run, List<LeftStep> steps) {
    try {
      slots.submit(
          run,
          r -> {
            try {
              executor.resume(r, steps);
              // its whole outcome is published: job-service ends the run with it even when it
              // requested the next attempt meanwhile (its lease ran out while the stack was down),
              // so that attempt is not to be executed here (see Heartbeats#outcomeReported)
              if (!inFlight.isAbandoned(r.runId(), r.attempt())
                  && executor.recordedOutcome(r).isPresent()) {
                outcomeReported.accept(r);
              }
            } finally {
              inFlight.end(r);
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.end(run);
    }
  }

  @Override
  public void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the Kafka listeners (which start late): adopted attempts are in flight first. */
  @Override
  public int getPhase() {
    return 0;
  }
}

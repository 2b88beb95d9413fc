package io.gridrun.runner;

import io.gridrun.runner.lease.Heartbeats;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.DockerRuntime;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The runner's periodic chores: heartbeats for its attempts, and removing the containers of runner
 * processes on this host that died. Its own thread, stopped after the slot drain (a lower phase
 * stops later), so that attempts keep their leases while they drain.
 */
class Housekeeping implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  private static final Duration TICK = Duration.ofMillis(500);

  private final Heartbeats heartbeats;
  private final ContainerRuntime runtime;
  private final Duration orphanSweep;
  private ScheduledExecutorService scheduler;

  Housekeeping(Heartbeats heartbeats, ContainerRuntime runtime, Duration orphanSweep) {
    this.heartbeats = heartbeats;
    this.runtime = runtime;
    this.orphanSweep = orphanSweep;
  }

  @Override
  public synchronized void start() {
    scheduler =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "runner-housekeeping"));
    scheduler.scheduleWithFixedDelay(
        guarded(heartbeats::beat), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    if (runtime instanceof DockerRuntime docker) {
      scheduler.scheduleWithFixedDelay(
          guarded(() -> removeOrphans(docker)),
          orphanSweep.toMillis(),
          orphanSweep.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    if (runtime instanceof io.gridrun.runner.runtime.KubernetesRuntime kubernetes) {
      scheduler.scheduleWithFixedDelay(
          guarded(
              () -> {
                int removed = kubernetes.removeOrphans();
                if (removed > 0) {
                  log.info("Removed {} step Pods of runner Pods that are gone", removed);
                }
              }),
          orphanSweep.toMillis(),
          orphanSweep.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private static void removeOrphans(DockerRuntime docker) {
    int removed = docker.removeOrphans();
    if (removed > 0) {
      log.info("Removed {} containers of runner processes on this host that are gone", removed);
    }
  }

  private static Runnable guarded(Runnable chore) {
    return () -> {
      try {
        chore.run();
      } catch (RuntimeException e) {
        log.warn("A housekeeping chore failed; it runs again on its next turn", e);
      }
    };
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  /** Lower than the slot drain's phase: stopped after it. */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE + 500;
  }
}

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
 * The runner's periodic chores: the lease guard that gives up attempts cut off too long, heartbeats
 * for its attempts, and removing the containers of runner processes on this host that died. Each on
 * a thread of its own, so that a send blocked on the broker or a slow engine call never delays a
 * give-up (see {@link Heartbeats}); stopped after the slot drain (a lower phase stops later), so
 * that attempts keep their leases while they drain.
 */
class Housekeeping implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);
  private static final Duration TICK = Duration.ofMillis(500);

  private final Heartbeats heartbeats;
  private final ContainerRuntime runtime;
  private final Duration orphanSweep;
  private ScheduledExecutorService guard;
  private ScheduledExecutorService beats;
  private ScheduledExecutorService scheduler;

  Housekeeping(Heartbeats heartbeats, ContainerRuntime runtime, Duration orphanSweep) {
    this.heartbeats = heartbeats;
    this.runtime = runtime;
    this.orphanSweep = orphanSweep;
  }

  @Override
  public synchronized void start() {
    guard = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "runner-lease-guard"));
    guard.scheduleWithFixedDelay(
        guarded(heartbeats::guard), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    beats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "runner-heartbeats"));
    beats.scheduleWithFixedDelay(
        guarded(heartbeats::send), 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "runner-housekeeping"));
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

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
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
      guard.shutdownNow();
      beats.shutdownNow();
      scheduler.shutdownNow();
      guard = null;
      beats = null;
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

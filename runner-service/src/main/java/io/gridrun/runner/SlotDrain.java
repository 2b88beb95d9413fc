package io.gridrun.runner;

import io.gridrun.runner.lease.Heartbeats;
import io.gridrun.runner.messaging.RunSlots;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Graceful shutdown: the Kafka listener containers stop first (higher phases stop earlier), so no
 * new run is taken; then this lets running runs finish, up to the drain timeout, and hands the rest
 * back: they are given up ({@code run.abandoned}) and job-service requests them again.
 */
class SlotDrain implements SmartLifecycle {

  private final RunSlots slots;
  private final Duration drain;
  private final Heartbeats heartbeats;
  private volatile boolean running;

  SlotDrain(RunSlots slots, Duration drain, Heartbeats heartbeats) {
    this.slots = slots;
    this.drain = drain;
    this.heartbeats = heartbeats;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    try {
      slots.shutdown(
          drain,
          () -> heartbeats.abandonAll("the runner is shutting down and the drain timeout passed"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** A low phase: stopped after the listener containers. */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE + 1000;
  }
}

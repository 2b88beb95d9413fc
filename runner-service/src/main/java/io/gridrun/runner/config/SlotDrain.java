package io.gridrun.runner.config;

import io.gridrun.runner.messaging.RunSlots;
import java.time.Duration;
import org.springframework.context.SmartLifecycle;

/**
 * Graceful shutdown: the Kafka listener containers stop first (higher phases stop earlier), so no
 * new run is taken; then this lets running steps finish, up to the drain timeout.
 */
class SlotDrain implements SmartLifecycle {

  private final RunSlots slots;
  private final Duration drain;
  private volatile boolean running;

  SlotDrain(RunSlots slots, Duration drain) {
    this.slots = slots;
    this.drain = drain;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    try {
      slots.shutdown(drain);
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

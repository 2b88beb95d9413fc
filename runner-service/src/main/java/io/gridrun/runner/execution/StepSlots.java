package io.gridrun.runner.execution;

import java.util.concurrent.Semaphore;

/**
 * A runner's slots: how many steps it runs at once, over all its runs. A step takes a slot for as
 * long as it runs (its retries' waits excluded) and gives it back when it ends, so independent
 * branches of a run use the slots other runs leave free.
 */
public final class StepSlots {

  private final Semaphore free;
  private final int total;

  public StepSlots(int total) {
    this.total = total;
    this.free = new Semaphore(total, true);
  }

  /** Slots for every step: no runner-wide limit (tests of one run's execution). */
  public static StepSlots unlimited() {
    return new StepSlots(Integer.MAX_VALUE);
  }

  void take() throws InterruptedException {
    free.acquire();
  }

  void give() {
    free.release();
  }

  public int busy() {
    return total - free.availablePermits();
  }

  public int total() {
    return total;
  }
}

package io.gridrun.runner.runtime;

/**
 * A started step. Closing it releases whatever the runtime holds for the step (the container, a
 * process still alive); the execution logic always closes it, also when waiting failed.
 */
public interface StepHandle extends AutoCloseable {

  /** Blocks until the step ended and its output was written; returns how it ended. */
  StepExit waitFor() throws InterruptedException;

  /** Stops the step now; {@link #waitFor()} then returns. Safe to call from any thread. */
  void kill();

  /**
   * Whether the caller closes it only once the step's end is recorded, so that a runner killed
   * before that finds what is left (a container) and adopts it, instead of running the step again.
   */
  default boolean closedOnceEndRecorded() {
    return false;
  }

  /** Cleans up; safe to call more than once. */
  @Override
  void close();
}

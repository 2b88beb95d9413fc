package io.gridrun.runner.runtime;

/**
 * How a step's process ended.
 *
 * @param exitCode its exit code ({@code 137} when killed)
 * @param outOfMemory the kernel's OOM killer killed a process of the step for exceeding its memory
 *     limit
 */
public record StepExit(int exitCode, boolean outOfMemory) {

  public static StepExit of(int exitCode) {
    return new StepExit(exitCode, false);
  }
}

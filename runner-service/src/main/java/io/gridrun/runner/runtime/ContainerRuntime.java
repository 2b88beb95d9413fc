package io.gridrun.runner.runtime;

import java.io.OutputStream;

/**
 * Runs one step somewhere: a Docker container, a local process, and later a Kubernetes pod. The
 * execution logic only launches, waits and kills through this port.
 */
public interface ContainerRuntime {

  /** How a step launched by this runtime sees its files, for the GRIDRUN_* variables. */
  StepPaths pathsFor(StepWorkspace workspace);

  /**
   * Starts the step; its stdout and stderr go to {@code output} until it ends.
   *
   * @throws StepLaunchException when the step cannot start, with a reason for the user
   */
  StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException;

  /**
   * {@link #start(StepLaunch, OutputStream)}, running {@code beforeStart} once the step is ready
   * and right before it starts, so that what {@code beforeStart} waits for overlaps with the
   * preparation (a container's creation). Whatever {@code beforeStart} throws propagates as it is,
   * after whatever was prepared is removed: the step never started.
   */
  default StepHandle start(StepLaunch launch, OutputStream output, Runnable beforeStart)
      throws StepLaunchException {
    beforeStart.run();
    return start(launch, output);
  }

  /**
   * Why steps of this image cannot start here (e.g. {@code image not found: <image>}), or empty
   * when they can or the runtime cannot tell before launching (processes ignore images; a cluster
   * pulls them).
   */
  default java.util.Optional<String> unavailable(String image) {
    return java.util.Optional.empty();
  }

  /**
   * The step containers a runner with this id left on this host (killed, crashed), for a runner
   * that starts again under the same id to adopt; empty where the runtime cannot tell.
   */
  default java.util.List<LeftStep> leftBy(String runnerId) {
    return java.util.List.of();
  }

  /**
   * Marks a left step as taken by this runner process, so that no runner's sweep of dead runners'
   * containers removes it while it is followed.
   */
  default void claim(LeftStep step) {}

  /**
   * Follows a left step to its end: its whole output goes to {@code output}; closing the handle
   * removes it.
   */
  default StepHandle adopt(LeftStep step, OutputStream output) {
    throw new UnsupportedOperationException(name() + " cannot adopt steps");
  }

  /** Removes a left step that is not adopted (its run is not known here any more). */
  default void discard(LeftStep step) {}

  /** A short name for logs: {@code docker}, {@code process}. */
  String name();
}

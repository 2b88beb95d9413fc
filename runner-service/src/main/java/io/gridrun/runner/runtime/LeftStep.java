package io.gridrun.runner.runtime;

/**
 * A step container a runner left behind on this host (it was killed or crashed), found by its
 * labels: a later runner with the same runner id adopts it instead of running the step again.
 *
 * @param containerId the engine's id of the container
 * @param running whether it still runs (else it exited and waits for its outcome to be collected)
 * @param started whether the engine ever started it: a runner killed between a container's create
 *     and its start leaves one that never ran, whose "exit" says nothing about the step
 */
public record LeftStep(
    String containerId,
    String jobId,
    String runId,
    int attempt,
    String stepId,
    boolean running,
    boolean started) {}

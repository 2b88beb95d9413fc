package io.gridrun.runner.runtime;

/**
 * How a step's container is limited beyond gridrun's fixed hardening. The process runtime has no
 * isolation and ignores it.
 *
 * @param nanoCpus CPU limit in billionths of a CPU; null = none
 * @param memoryBytes memory limit, swap included (no swap beyond it); null = none
 * @param network whether the container gets a network; otherwise only loopback
 * @param user the container's user ({@code name}, {@code uid} or {@code uid:gid}); null = the
 *     image's
 */
public record StepIsolation(Long nanoCpus, Long memoryBytes, boolean network, String user) {

  public static final StepIsolation DEFAULT = new StepIsolation(null, null, false, null);
}

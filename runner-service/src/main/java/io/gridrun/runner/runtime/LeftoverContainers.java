package io.gridrun.runner.runtime;

import java.util.Map;
import java.util.function.LongPredicate;

/**
 * Which gridrun containers a starting runner removes, as left behind by a runner that crashed or
 * was killed. A container is a leftover when
 *
 * <ul>
 *   <li>it carries this runner's id ({@code gridrun.runner}): ids configured with {@code
 *       gridrun.runner.id} are stable across restarts, or
 *   <li>it was created by a runner process on the same host and in the same PID namespace whose pid
 *       is no longer alive: default ids ({@code <host>-<pid>}) change with every start, so this
 *       finds a dead runner's containers without ever touching those of a live runner, also one
 *       sharing the engine.
 * </ul>
 *
 * Containers of runners on other hosts, or whose liveness cannot be judged, are left alone.
 */
public final class LeftoverContainers {

  public static final String LABEL_HOST = "gridrun.runner.host";
  public static final String LABEL_PID = "gridrun.runner.pid";
  public static final String LABEL_PID_NAMESPACE = "gridrun.runner.pid-namespace";

  private LeftoverContainers() {}

  /** The labels that let a later runner judge whether {@code process} is still alive. */
  public static Map<String, String> labelsOf(RunnerProcess process) {
    return process.pidNamespace() == null
        ? Map.of(LABEL_HOST, process.host(), LABEL_PID, String.valueOf(process.pid()))
        : Map.of(
            LABEL_HOST,
            process.host(),
            LABEL_PID,
            String.valueOf(process.pid()),
            LABEL_PID_NAMESPACE,
            process.pidNamespace());
  }

  /**
   * @param labels the container's labels
   * @param alive whether a pid is alive in this runner's PID namespace
   */
  public static boolean isLeftover(
      Map<String, String> labels, String runnerId, RunnerProcess self, LongPredicate alive) {
    return runnerId.equals(labels.get(StepLaunch.LABEL_RUNNER)) || isOrphan(labels, self, alive);
  }

  /**
   * Whether the container was started by another runner process on this host, in this PID
   * namespace, that is no longer alive. A running runner looks for these now and then, so that a
   * killed neighbour's steps do not keep running beside the attempts that replace them.
   */
  public static boolean isOrphan(
      Map<String, String> labels, RunnerProcess self, LongPredicate alive) {
    if (self.pidNamespace() == null
        || !self.host().equals(labels.get(LABEL_HOST))
        || !self.pidNamespace().equals(labels.get(LABEL_PID_NAMESPACE))) {
      return false;
    }
    long pid;
    try {
      pid = Long.parseLong(labels.getOrDefault(LABEL_PID, ""));
    } catch (NumberFormatException e) {
      return false;
    }
    return pid != self.pid() && !alive.test(pid);
  }

  private static final String CLAIM_PREFIX = "gridrun-adopted-";

  /**
   * The name a container gets when a runner process adopts it: the adopter's host and pid, so that
   * sweeps of dead runners' containers leave it alone while that process lives.
   */
  public static String claimName(RunnerProcess adopter, String containerId) {
    return CLAIM_PREFIX
        + adopter.pid()
        + "-"
        + containerId.substring(0, Math.min(12, containerId.length()));
  }

  /**
   * Whether the container was started by another runner process on this host, in this PID
   * namespace, that is still alive: never a predecessor's to adopt, even when it carries the same
   * runner id (two runners configured alike on one host).
   */
  public static boolean createdByLiveNeighbour(
      Map<String, String> labels, RunnerProcess self, LongPredicate alive) {
    if (self.pidNamespace() == null
        || !self.host().equals(labels.get(LABEL_HOST))
        || !self.pidNamespace().equals(labels.get(LABEL_PID_NAMESPACE))) {
      return false;
    }
    try {
      long pid = Long.parseLong(labels.getOrDefault(LABEL_PID, ""));
      return pid != self.pid() && alive.test(pid);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** Whether a container of these names was adopted by a runner process that is alive. */
  public static boolean claimed(String[] names, RunnerProcess self, LongPredicate alive) {
    if (names == null) {
      return false;
    }
    for (String name : names) {
      String bare = name.startsWith("/") ? name.substring(1) : name;
      if (bare.startsWith(CLAIM_PREFIX)) {
        String rest = bare.substring(CLAIM_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
          long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
          return pid == self.pid() || alive.test(pid);
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }

  /** The step a container of gridrun's ran, from its labels; empty when they do not say. */
  static java.util.Optional<LeftStep> leftStep(com.github.dockerjava.api.model.Container c) {
    Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
    String job = labels.get(StepLaunch.LABEL_JOB);
    String run = labels.get(StepLaunch.LABEL_RUN);
    String step = labels.get(StepLaunch.LABEL_STEP);
    String attempt = labels.get(StepLaunch.LABEL_ATTEMPT);
    if (job == null || run == null || step == null || attempt == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          new LeftStep(
              c.getId(),
              job,
              run,
              Integer.parseInt(attempt),
              step,
              "running".equalsIgnoreCase(c.getState())));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** Whether a process with this pid is alive in the current PID namespace. */
  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}

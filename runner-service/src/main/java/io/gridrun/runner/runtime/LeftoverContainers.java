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
 * Containers of runners on other hosts, or whose liveness cannot be judged, are left alone, and so
 * are those of another fleet ({@code gridrun.fleet}, see {@code gridrun.runner.fleet}): two
 * installations on one Docker engine, such as two local stacks, never remove or adopt each other's
 * steps. A container without a fleet label is another fleet's for a runner that has one, but still
 * its own by runner id (made before fleets were written, or by a runner configured without one).
 */
public final class LeftoverContainers {

  public static final String LABEL_HOST = "gridrun.runner.host";
  public static final String LABEL_PID = "gridrun.runner.pid";
  public static final String LABEL_PID_NAMESPACE = "gridrun.runner.pid-namespace";
  public static final String LABEL_FLEET = "gridrun.fleet";

  private LeftoverContainers() {}

  /** The labels that let a later runner judge whether {@code process} is still alive. */
  public static Map<String, String> labelsOf(RunnerProcess process) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    labels.put(LABEL_HOST, process.host());
    labels.put(LABEL_PID, String.valueOf(process.pid()));
    if (process.pidNamespace() != null) {
      labels.put(LABEL_PID_NAMESPACE, process.pidNamespace());
    }
    if (process.fleet() != null) {
      labels.put(LABEL_FLEET, process.fleet());
    }
    return Map.copyOf(labels);
  }

  /**
   * @param labels the container's labels
   * @param alive whether a pid is alive in this runner's PID namespace
   */
  public static boolean isLeftover(
      Map<String, String> labels, String runnerId, RunnerProcess self, LongPredicate alive) {
    return ownById(labels, runnerId, self) || isOrphan(labels, self, alive);
  }

  /**
   * Whether the container carries this runner id and is not another fleet's: one without a fleet
   * label is judged by its runner id alone.
   */
  public static boolean ownById(Map<String, String> labels, String runnerId, RunnerProcess self) {
    return runnerId.equals(labels.get(StepLaunch.LABEL_RUNNER))
        && (!labels.containsKey(LABEL_FLEET) || self.sameFleet(labels));
  }

  /**
   * Whether the container was started by another runner process on this host, in this PID
   * namespace, that is no longer alive. A running runner looks for these now and then, so that a
   * killed neighbour's steps do not keep running beside the attempts that replace them.
   */
  public static boolean isOrphan(
      Map<String, String> labels, RunnerProcess self, LongPredicate alive) {
    if (!sameHostAndNamespace(labels, self) || !self.sameFleet(labels)) {
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

  /**
   * Whether the container's runner had the default id of its process ({@code <host>-<pid>}, see
   * {@code gridrun.runner.id}): no later runner can start under that id and adopt it, so once that
   * process is dead its containers need not wait a sweep for a successor.
   */
  public static boolean withoutSuccessor(Map<String, String> labels) {
    String runner = labels.get(StepLaunch.LABEL_RUNNER);
    return runner != null && runner.equals(labels.get(LABEL_HOST) + "-" + labels.get(LABEL_PID));
  }

  private static boolean sameHostAndNamespace(Map<String, String> labels, RunnerProcess self) {
    return self.pidNamespace() != null
        && self.host().equals(labels.get(LABEL_HOST))
        && self.pidNamespace().equals(labels.get(LABEL_PID_NAMESPACE));
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
    if (!sameHostAndNamespace(labels, self)) {
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
              "running".equalsIgnoreCase(c.getState()),
              !"created".equalsIgnoreCase(c.getState())));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** Whether a process with this pid is alive in the current PID namespace. */
  public static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}

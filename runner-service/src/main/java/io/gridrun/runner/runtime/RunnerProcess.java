package io.gridrun.runner.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runner's operating-system process, written on its containers so that a later runner on the
 * same machine can tell whether the process that created a container is still alive.
 *
 * @param host the machine's host name
 * @param pid the process id
 * @param pidNamespace the PID namespace the pid belongs to ({@code /proc/self/ns/pid}); null where
 *     it cannot be read (not Linux), and then no liveness is judged by pid
 * @param fleet the installation the runner serves ({@code gridrun.runner.fleet}); null: none set
 */
public record RunnerProcess(String host, long pid, String pidNamespace, String fleet) {

  public RunnerProcess(String host, long pid, String pidNamespace) {
    this(host, pid, pidNamespace, null);
  }

  public static RunnerProcess current() {
    return current(null);
  }

  /** This process, serving {@code fleet} (null: none set). */
  public static RunnerProcess current(String fleet) {
    return new RunnerProcess(
        hostName(), ProcessHandle.current().pid(), currentPidNamespace(), fleet);
  }

  /** Whether a container with these labels was made by a runner of this process's fleet. */
  public boolean sameFleet(java.util.Map<String, String> labels) {
    return java.util.Objects.equals(fleet, labels.get(LeftoverContainers.LABEL_FLEET));
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      String fromEnv = System.getenv("HOSTNAME");
      return fromEnv == null || fromEnv.isBlank() ? "localhost" : fromEnv;
    }
  }

  private static String currentPidNamespace() {
    try {
      return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return null;
    }
  }
}

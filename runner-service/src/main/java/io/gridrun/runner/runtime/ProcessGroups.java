package io.gridrun.runner.runtime;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a step's process group. Through libc's {@code kill(2)} ({@link LinuxCalls}): spawning the
 * {@code kill} command instead forks the runner's JVM twice per step (at its end and at its close),
 * about 50 ms a step on a loaded 2-core machine (JFR, 2026-12-02), more than a no-op step's own
 * process. The command stays as the fallback.
 */
final class ProcessGroups {

  private static final Logger log = LoggerFactory.getLogger(ProcessGroups.class);

  private final boolean viaLibc;
  private final String killCommand;

  private ProcessGroups(boolean viaLibc, String killCommand) {
    this.viaLibc = viaLibc;
    this.killCommand = killCommand;
  }

  /** libc's {@code kill} when it loads, else the {@code kill} command when there is one. */
  static ProcessGroups load(String killCommand) {
    return new ProcessGroups(LinuxCalls.loaded(), killCommand);
  }

  /** Whether groups can be killed at all. */
  boolean available() {
    return viaLibc || killCommand != null;
  }

  /** SIGKILL to every process of the group {@code groupId}; none left is not an error. */
  void kill(long groupId) {
    if (viaLibc) {
      LinuxCalls.killGroup(groupId);
      return;
    }
    if (killCommand == null) {
      return;
    }
    try {
      Process killer =
          new ProcessBuilder(killCommand, "-KILL", "--", "-" + groupId)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!killer.waitFor(10, TimeUnit.SECONDS)) {
        killer.destroyForcibly();
      }
    } catch (IOException e) {
      log.warn("Could not kill the process group {}: {}", groupId, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package io.gridrun.runner.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs steps as local processes in the run's working copy, for machines without a container engine.
 * Steps see host paths, so scripts written with the GRIDRUN_* variables run unchanged. There is no
 * isolation: a step runs with the runner's rights, and its {@link StepIsolation} (resources,
 * network, user) is not applied. What it does get:
 *
 * <ul>
 *   <li>a clean environment: only the step's variables (environment, pipeline, job, gridrun's own)
 *       and a fixed {@code PATH} unless the job sets one, never the runner's own variables (tokens,
 *       credentials, {@code JAVA_TOOL_OPTIONS}…);
 *   <li>its own session and process group ({@code setsid}), killed as a whole at timeout, cancel or
 *       when the step ends, so that a background child that left the step's process tree ({@code
 *       (sleep 1000 &)}) does not outlive it.
 * </ul>
 */
public class ProcessRuntime implements ContainerRuntime {

  private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);

  /** The {@code PATH} of a step whose variables do not set one. */
  static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final String setsid = find("setsid");
  private final ProcessGroups groups = ProcessGroups.load(find("kill"));

  public ProcessRuntime() {
    if (setsid == null || !groups.available()) {
      log.warn(
          "setsid or kill was not found: a step's background processes that leave its process"
              + " tree are not killed with it");
    }
  }

  private static String find(String command) {
    for (String dir : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
      Path candidate = Path.of(dir, command);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  /** Whether the program can be found as the step's shell would find it. */
  private static boolean exists(String program, StepLaunch launch) {
    if (program.contains("/")) {
      return Files.isExecutable(launch.workspace().project().resolve(program));
    }
    String path = launch.env().getOrDefault("PATH", DEFAULT_PATH);
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  @Override
  public StepPaths pathsFor(StepWorkspace workspace) {
    return new StepPaths(
        workspace.project().toAbsolutePath().toString(),
        workspace.data().toAbsolutePath().toString(),
        workspace.paramsFile().toAbsolutePath().toString(),
        workspace.metricsFile().toAbsolutePath().toString());
  }

  /** The step's whole environment: its own variables and a {@code PATH}, nothing inherited. */
  static void cleanEnvironment(Map<String, String> environment, Map<String, String> step) {
    environment.clear();
    environment.put("PATH", DEFAULT_PATH);
    environment.putAll(step);
  }

  @Override
  public StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException {
    String program = launch.command().get(0);
    if (!exists(program, launch)) {
      throw new StepLaunchException("could not start " + program + ": no such command");
    }
    List<String> command = new ArrayList<>();
    if (setsid != null && groups.available()) {
      // a new session and process group whose id is the step's pid (setsid execs, no fork: a
      // child of the JVM is never a group leader)
      command.add(setsid);
    }
    command.addAll(launch.command());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(launch.workspace().project().toFile())
            .redirectErrorStream(true);
    cleanEnvironment(builder.environment(), launch.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StepLaunchException(
          "could not start " + launch.command().get(0) + ": " + e.getMessage(), e);
    }
    boolean ownGroup = setsid != null && groups.available();
    Thread pump =
        new Thread(() -> copy(process.getInputStream(), output), "step-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return new StepHandle() {
      @Override
      public StepExit waitFor() throws InterruptedException {
        int code = process.waitFor();
        // what the step left running in its group goes with it; it would hold the output open
        killGroup();
        pump.join();
        return StepExit.of(code);
      }

      @Override
      public void kill() {
        killGroup();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }

      private void killGroup() {
        if (ownGroup) {
          groups.kill(process.pid());
        }
      }

      @Override
      public void close() {
        if (process.isAlive()) {
          kill();
        } else {
          killGroup();
        }
      }
    };
  }

  private static void copy(InputStream in, OutputStream out) {
    try (in) {
      in.transferTo(out);
      out.flush();
    } catch (IOException ignored) {
      // the process is gone or the log closed: nothing more to copy
    }
  }

  @Override
  public String name() {
    return "process";
  }
}

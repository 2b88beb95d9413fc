package io.gridrun.runner.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs steps as local processes in the run's working copy, for machines without a container engine.
 * Steps see host paths, so scripts written with the GRIDRUN_* variables run unchanged. There is no
 * isolation: a step runs with the runner's rights, and its {@link StepIsolation} (resources,
 * network, user) is not applied.
 */
public class ProcessRuntime implements ContainerRuntime {

  @Override
  public StepPaths pathsFor(StepWorkspace workspace) {
    return new StepPaths(
        workspace.project().toAbsolutePath().toString(),
        workspace.data().toAbsolutePath().toString(),
        workspace.paramsFile().toAbsolutePath().toString(),
        workspace.metricsFile().toAbsolutePath().toString());
  }

  @Override
  public StepHandle start(StepLaunch launch, OutputStream output) throws StepLaunchException {
    ProcessBuilder builder =
        new ProcessBuilder(launch.command())
            .directory(launch.workspace().project().toFile())
            .redirectErrorStream(true);
    builder.environment().putAll(launch.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new StepLaunchException(
          "could not start " + launch.command().get(0) + ": " + e.getMessage(), e);
    }
    Thread pump =
        new Thread(() -> copy(process.getInputStream(), output), "step-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
    return new StepHandle() {
      @Override
      public StepExit waitFor() throws InterruptedException {
        int code = process.waitFor();
        pump.join();
        return StepExit.of(code);
      }

      @Override
      public void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }

      @Override
      public void close() {
        if (process.isAlive()) {
          kill();
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

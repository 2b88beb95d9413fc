package io.gridrun.runner;

import io.gridrun.runner.config.RunnerProperties;
import io.gridrun.runner.runtime.ContainerRuntime;
import io.gridrun.runner.runtime.DockerRuntime;
import io.gridrun.runner.runtime.ProcessRuntime;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Which runtime executes steps, from {@code gridrun.runner.executor}. */
final class RuntimeChoice {

  private static final Logger log = LoggerFactory.getLogger(RuntimeChoice.class);

  private RuntimeChoice() {}

  /**
   * @throws IllegalStateException for {@code docker} when no engine answers: failing at start-up is
   *     clearer than failing every step of every run
   */
  static ContainerRuntime choose(
      RunnerProperties.Executor executor, Supplier<DockerRuntime> docker, String host) {
    if (executor == RunnerProperties.Executor.PROCESS) {
      return new ProcessRuntime();
    }
    DockerRuntime engine = docker.get();
    if (engine.available()) {
      return engine;
    }
    if (executor == RunnerProperties.Executor.AUTO) {
      log.warn(
          "No Docker engine answers at {}: steps run as LOCAL PROCESSES on this machine, without"
              + " containers or isolation (process executor).",
          host);
      return new ProcessRuntime();
    }
    throw new IllegalStateException(
        "gridrun.runner.executor=docker but no Docker engine answers at "
            + host
            + "; start one, or set gridrun.runner.executor to auto or process");
  }
}

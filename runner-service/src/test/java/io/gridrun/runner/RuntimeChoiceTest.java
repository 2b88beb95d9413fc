package io.gridrun.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.runner.config.RunnerProperties.Executor;
import io.gridrun.runner.runtime.DockerRuntime;
import io.gridrun.runner.runtime.ProcessRuntime;
import org.junit.jupiter.api.Test;

class RuntimeChoiceTest {

  private static final String NO_ENGINE = "unix:///tmp/gridrun-no-such-docker.sock";
  private static final String ENGINE = "unix:///var/run/docker.sock";

  @Test
  void processMeansLocalProcessesWithoutAskingDocker() {
    assertThat(
            RuntimeChoice.choose(
                Executor.PROCESS,
                () -> {
                  throw new AssertionError("docker must not be asked");
                },
                NO_ENGINE))
        .isInstanceOf(ProcessRuntime.class);
  }

  @Test
  void autoFallsBackToLocalProcessesWhenNoEngineAnswers() {
    assertThat(RuntimeChoice.choose(Executor.AUTO, () -> new DockerRuntime(NO_ENGINE), NO_ENGINE))
        .isInstanceOf(ProcessRuntime.class);
  }

  @Test
  void autoUsesDockerWhenTheEngineAnswers() {
    assertThat(RuntimeChoice.choose(Executor.AUTO, () -> new DockerRuntime(ENGINE), ENGINE))
        .isInstanceOf(DockerRuntime.class);
  }

  @Test
  void dockerWithoutAnEngineRefusesToStartWithAClearMessage() {
    assertThatThrownBy(
            () ->
                RuntimeChoice.choose(
                    Executor.DOCKER, () -> new DockerRuntime(NO_ENGINE), NO_ENGINE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no Docker engine answers at " + NO_ENGINE);
  }
}

package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auto} never picks the process executor silently where others can reach the stack. */
class ExecutorChoiceTest {

  private static final String SOCKET = "/var/run/docker.sock";

  @Test
  void autoTakesDockerWhenItAnswersWhereverTheGatewayListens() {
    for (String bind : new String[] {"127.0.0.1", "0.0.0.0"}) {
      assertThat(ExecutorChoice.choose("auto", bind, () -> true, SOCKET))
          .isEqualTo(new ExecutorChoice(true, null));
    }
  }

  @Test
  void withoutDockerAutoFallsBackToProcessesOnlyOnLoopbackAndSaysSo() {
    for (String bind : new String[] {"127.0.0.1", "localhost", "::1"}) {
      ExecutorChoice choice = ExecutorChoice.choose("auto", bind, () -> false, SOCKET);
      assertThat(choice.docker()).isFalse();
      assertThat(choice.note()).contains("local processes").contains("127.0.0.1 only");
    }
  }

  @Test
  void withoutDockerAutoRefusesToStartOnAnyOtherAddressAndSaysHowToGetDocker() {
    assertThatThrownBy(() -> ExecutorChoice.choose("auto", "0.0.0.0", () -> false, SOCKET))
        .isInstanceOf(ExecutorChoice.Refused.class)
        .hasMessageContaining("Docker")
        .hasMessageContaining("scripts/docker-engine.sh")
        .hasMessageContaining("--executor process")
        .hasMessageNotContaining("\n");
  }

  @Test
  void anExplicitChoiceIsTakenAsIs() {
    assertThat(ExecutorChoice.choose("process", "0.0.0.0", () -> true, SOCKET).docker()).isFalse();
    assertThat(ExecutorChoice.choose("docker", "0.0.0.0", () -> false, SOCKET).docker()).isTrue();
  }

  @Test
  void theCommandLineStopsWithOneLineBeforeStartingAnything(@TempDir Path home) {
    GridrunCli.StackOptions options = new GridrunCli.StackOptions();
    options.home = home;
    options.executor = "auto";
    options.bind = "0.0.0.0";
    options.dockerAnswers = () -> false;
    assertThatThrownBy(options::settings).isInstanceOf(ExecutorChoice.Refused.class);

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    var command = GridrunCli.commandLine();
    command.setErr(new PrintWriter(err, true));
    int status =
        command.execute(
            "local", "--home", home.toString(), "--executor", "podman", "--bind", "0.0.0.0");
    assertThat(status).isEqualTo(1);
    assertThat(err.toString().strip())
        .startsWith("gridrun: --executor must be docker, process or auto")
        .doesNotContain("\n");
  }
}

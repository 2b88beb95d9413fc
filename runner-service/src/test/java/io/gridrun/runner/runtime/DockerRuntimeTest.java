package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the real Docker engine; fails (never skips) when no engine answers. */
class DockerRuntimeTest {

  static final String IMAGE = "gridrun/busybox:test";
  static DockerRuntime docker;

  @TempDir Path temp;

  @BeforeAll
  static void engine() {
    docker = new DockerRuntime("unix:///var/run/docker.sock");
    assertThat(docker.available())
        .as("a Docker engine must answer (./gridrun test starts one)")
        .isTrue();
  }

  private StepWorkspace workspace() throws Exception {
    StepWorkspace ws =
        new StepWorkspace(temp.resolve("project"), temp.resolve("data"), temp.resolve("gridrun"));
    Files.createDirectories(ws.project());
    Files.createDirectories(ws.data());
    Files.createDirectories(ws.gridrun());
    return ws;
  }

  private String run(StepWorkspace ws, String script, int expectedExit) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StepHandle handle =
        docker.start(
            new StepLaunch(
                IMAGE,
                List.of("sh", "-c", script),
                Map.of("GREETING", "hi"),
                ws,
                Map.of("gridrun.test", "yes")),
            out);
    assertThat(handle.waitFor()).isEqualTo(expectedExit);
    return out.toString();
  }

  @Test
  void aStepSeesItsMountsAndEnvironmentAndAllItsOutputIsKept() throws Exception {
    StepWorkspace ws = workspace();
    Files.writeString(ws.paramsFile(), "{\"step\":\"train\"}");
    Files.writeString(ws.project().resolve("input.txt"), "from the snapshot");

    String output =
        run(
            ws,
            "echo $GREETING; cat /gridrun/params.json; echo; cat /project/input.txt; echo out > /data/shared.txt; echo err >&2; printf tail",
            0);

    assertThat(output)
        .contains("hi\n")
        .contains("{\"step\":\"train\"}")
        .contains("err\n")
        // stdout's last line has no newline and stderr may come in between; all of it is kept
        .contains("from the snapshot")
        .contains("tail");
    assertThat(ws.data().resolve("shared.txt")).hasContent("out");
  }

  @Test
  void keepsOutputThatDoesNotEndWithANewline() throws Exception {
    StepWorkspace ws = workspace();
    Files.writeString(ws.paramsFile(), "{\"step\":\"train\"}");

    String output =
        run(ws, "echo first; cat /gridrun/params.json; mkdir -p /data/x; echo x > /data/x/y", 0);

    assertThat(output).isEqualTo("first\n{\"step\":\"train\"}");
  }

  @Test
  void reportsTheExitCodeAndHasNoNetwork() throws Exception {
    StepWorkspace ws = workspace();

    String output = run(ws, "ls /sys/class/net; exit 3", 3);

    assertThat(output.trim()).isEqualTo("lo");
  }

  @Test
  void aMissingImageIsAClearLaunchFailure() throws Exception {
    StepWorkspace ws = workspace();

    assertThatThrownBy(
            () ->
                docker.start(
                    new StepLaunch(
                        "gridrun/no-such-image:1", List.of("true"), Map.of(), ws, Map.of()),
                    new ByteArrayOutputStream()))
        .isInstanceOf(StepLaunchException.class)
        .hasMessage("image not found: gridrun/no-such-image:1");
  }
}

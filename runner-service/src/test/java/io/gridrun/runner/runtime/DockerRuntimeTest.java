package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Docker adapter against the real engine; fails (never skips) when no engine answers. */
class DockerRuntimeTest {

  static final String HOST = "unix:///var/run/docker.sock";
  static final String IMAGE = "gridrun/busybox:test";
  static DockerRuntime docker;
  static DockerClient inspector;

  @TempDir Path temp;

  @BeforeAll
  static void engine() {
    docker = new DockerRuntime(HOST);
    assertThat(docker.available()).as("a Docker engine must answer at " + HOST).isTrue();
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(HOST).build();
    inspector =
        DockerClientImpl.getInstance(
            config,
            new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
    inspector.close();
  }

  private StepWorkspace workspace() throws Exception {
    StepWorkspace ws =
        new StepWorkspace(temp.resolve("project"), temp.resolve("data"), temp.resolve("gridrun"));
    Files.createDirectories(ws.project());
    Files.createDirectories(ws.data());
    Files.createDirectories(ws.gridrun());
    return ws;
  }

  private StepLaunch launch(StepWorkspace ws, String script, String runLabel) {
    return new StepLaunch(
        IMAGE,
        List.of("sh", "-c", script),
        Map.of("GREETING", "hi"),
        ws,
        Map.of(StepLaunch.LABEL_RUN, runLabel, StepLaunch.LABEL_STEP, "s"));
  }

  private List<Container> containersOf(String runLabel) {
    return inspector
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(StepLaunch.LABEL_RUN, runLabel))
        .exec();
  }

  @Test
  void streamsAllOutputOfBothStreamsAndRemovesTheContainer() throws Exception {
    StepWorkspace ws = workspace();
    String runLabel = "test-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (StepHandle handle =
        docker.start(
            launch(ws, "echo $GREETING; echo err >&2; seq 1 2000; printf tail", runLabel), out)) {
      assertThat(handle.waitFor()).isZero();
    }

    // stdout and stderr are separate pipes: their relative order is not defined
    assertThat(out.toString())
        .contains("hi\n")
        .contains("err\n")
        .contains("\n1999\n2000\n")
        .endsWith("tail");
    assertThat(containersOf(runLabel)).isEmpty();
  }

  @Test
  void runsContainersHardenedWithoutNetworkAndRemovesThemAfterAKill() throws Exception {
    StepWorkspace ws = workspace();
    String runLabel = "test-" + UUID.randomUUID();

    try (StepHandle handle =
        docker.start(
            launch(ws, "ls /sys/class/net; sleep 60", runLabel), new ByteArrayOutputStream())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !containersOf(runLabel).isEmpty());
      InspectContainerResponse container =
          inspector.inspectContainerCmd(containersOf(runLabel).get(0).getId()).exec();
      HostConfig host = container.getHostConfig();
      assertThat(host.getNetworkMode()).isEqualTo("none");
      assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
      assertThat(host.getSecurityOpts()).contains("no-new-privileges");
      assertThat(host.getPidsLimit()).isEqualTo(1024L);
      assertThat(host.getPrivileged()).isFalse();
      assertThat(container.getConfig().getWorkingDir()).isEqualTo("/project");
      assertThat(container.getConfig().getLabels()).containsEntry(StepLaunch.LABEL_STEP, "s");
      assertThat(host.getBinds())
          .extracting(b -> b.getVolume().getPath())
          .containsExactlyInAnyOrder("/project", "/data", "/gridrun");

      handle.kill();
      assertThat(handle.waitFor()).isNotZero();
    }

    assertThat(containersOf(runLabel)).isEmpty();
  }

  @Test
  void aStepOnlyHasTheLoopbackInterface() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (StepHandle handle =
        docker.start(launch(workspace(), "ls /sys/class/net", "test-net"), out)) {
      assertThat(handle.waitFor()).isZero();
    }

    assertThat(out.toString().trim()).isEqualTo("lo");
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

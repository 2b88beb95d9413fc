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
    inspector = inspector();
  }

  /** A plain client to look at what the runtime did. */
  static DockerClient inspector() {
    DefaultDockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(HOST).build();
    return DockerClientImpl.getInstance(
        config, new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost()).build());
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
      assertThat(handle.waitFor().exitCode()).isZero();
    }

    // stdout and stderr are separate pipes: their relative order is not defined (CI saw "err"
    // after "tail"), so stdout's own end is checked without stderr's line
    String output = out.toString();
    assertThat(output).contains("hi\n").contains("err\n").contains("\n1999\n2000\n");
    assertThat(output.replaceFirst("err\n", "")).endsWith("\n2000\ntail");
    // removed in the background once closed, soon
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(containersOf(runLabel)).isEmpty());
  }

  @Test
  void closingTheRuntimeWaitsForTheRemovalsOfClosedStepsUnderWay() throws Exception {
    StepWorkspace ws = workspace();
    String runLabel = "test-" + UUID.randomUUID();
    DockerRuntime runtime = new DockerRuntime(HOST);
    for (int i = 0; i < 3; i++) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (StepHandle handle = runtime.start(launch(ws, "echo step; exit 3", runLabel), out)) {
        // a step that ends at once: the wait issued before the start still sees its exit
        assertThat(handle.waitFor().exitCode()).isEqualTo(3);
      }
      assertThat(out.toString()).isEqualTo("step\n");
    }

    runtime.close();

    assertThat(runtime.pendingRemovals()).isZero();
    assertThat(containersOf(runLabel)).isEmpty();
  }

  @Test
  void runsContainersHardenedWithTheStepsLimitsAndRemovesThemAfterAKill() throws Exception {
    StepWorkspace ws = workspace();
    String runLabel = "test-" + UUID.randomUUID();
    StepLaunch launch =
        new StepLaunch(
            IMAGE,
            List.of("sh", "-c", "sleep 60"),
            Map.of(),
            ws,
            Map.of(StepLaunch.LABEL_RUN, runLabel, StepLaunch.LABEL_STEP, "s"),
            new StepIsolation(500_000_000L, 64L << 20, false, "1234:1234"));

    try (StepHandle handle = docker.start(launch, new ByteArrayOutputStream())) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !containersOf(runLabel).isEmpty());
      InspectContainerResponse container =
          inspector.inspectContainerCmd(containersOf(runLabel).get(0).getId()).exec();
      assertThat(container.getState().getRunning()).isTrue();
      HostConfig host = container.getHostConfig();
      assertThat(host.getNetworkMode()).isEqualTo("none");
      assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
      assertThat(host.getCapAdd()).isNullOrEmpty();
      assertThat(host.getSecurityOpts()).contains("no-new-privileges");
      assertThat(host.getPidsLimit()).isEqualTo(1024L);
      assertThat(host.getPrivileged()).isFalse();
      assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
      assertThat(host.getMemory()).isEqualTo(64L << 20);
      assertThat(host.getMemorySwap()).isEqualTo(64L << 20);
      assertThat(container.getConfig().getUser()).isEqualTo("1234:1234");
      assertThat(container.getConfig().getWorkingDir()).isEqualTo("/project");
      assertThat(container.getConfig().getLabels())
          .containsEntry(StepLaunch.LABEL_STEP, "s")
          .containsEntry(
              LeftoverContainers.LABEL_PID, String.valueOf(ProcessHandle.current().pid()))
          .containsKey(LeftoverContainers.LABEL_HOST);
      // only the three step directories, never the Docker socket
      assertThat(host.getBinds())
          .extracting(b -> b.getVolume().getPath())
          .containsExactlyInAnyOrder("/project", "/data", "/gridrun");
      assertThat(host.getBinds()).noneMatch(b -> b.getPath().contains("docker.sock"));
      assertThat(container.getMounts())
          .noneMatch(m -> String.valueOf(m.getSource()).contains("docker.sock"));

      handle.kill();
      assertThat(handle.waitFor().exitCode()).isNotZero();
    }

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(containersOf(runLabel)).isEmpty());
  }

  @Test
  void aStepWithoutLimitsOrUserGetsTheOperatorsDefaultsANonRootUserAReadOnlyRootAndANosuidData()
      throws Exception {
    StepWorkspace ws = workspace();
    String runLabel = "test-" + UUID.randomUUID();
    String script =
        String.join(
            "\n",
            "echo uid=$(id -u)",
            "if touch /etc/x 2>/dev/null; then echo root-fs=writable; else echo root-fs=read-only; fi",
            "echo t > /tmp/t && echo tmp=writable",
            "echo p > /project/p && echo project=writable",
            "echo '{\"a\": 1}' > /gridrun/metrics.json && echo gridrun=writable",
            "echo d > /data/d && echo data=writable",
            "grep ' /data ' /proc/self/mountinfo",
            "echo home=$HOME",
            "echo done",
            "sleep 60");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DockerRuntime hardened =
        new DockerRuntime(
            HOST,
            new DockerRuntime.Confinement(
                "none",
                "bridge",
                64,
                256L << 20,
                500_000_000L,
                "64m",
                temp.resolve("views"),
                true))) {
      StepLaunch launch =
          new StepLaunch(
              IMAGE,
              List.of("sh", "-c", script),
              Map.of(),
              ws,
              Map.of(StepLaunch.LABEL_RUN, runLabel, StepLaunch.LABEL_STEP, "s"));
      try (StepHandle handle = hardened.start(launch, out)) {
        await().atMost(Duration.ofSeconds(20)).until(() -> out.toString().contains("done"));
        InspectContainerResponse container =
            inspector.inspectContainerCmd(containersOf(runLabel).get(0).getId()).exec();
        HostConfig host = container.getHostConfig();
        assertThat(host.getReadonlyRootfs()).isTrue();
        assertThat(host.getTmpFs()).containsKey("/tmp");
        assertThat(host.getMemory()).isEqualTo(256L << 20);
        assertThat(host.getMemorySwap()).isEqualTo(256L << 20);
        assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
        assertThat(host.getPidsLimit()).isEqualTo(64L);
        assertThat(container.getConfig().getUser()).isEqualTo("65534:65534");
        handle.kill();
        handle.waitFor();
      }
    }

    assertThat(out.toString())
        .contains("uid=65534")
        .contains("root-fs=read-only")
        .contains("tmp=writable")
        .contains("project=writable")
        .contains("gridrun=writable")
        .contains("data=writable")
        .contains("home=/tmp");
    String dataMount =
        out.toString().lines().filter(l -> l.contains(" /data ")).findFirst().orElseThrow();
    assertThat(dataMount.split(" ")[5]).contains("nosuid").contains("nodev");
    assertThat(ws.data().resolve("d")).hasContent("d");
    assertThat(ws.gridrun().resolve("metrics.json")).exists();
    // the runtime closed: it waited for the removal, the container and its data view are gone now
    assertThat(containersOf(runLabel)).isEmpty();
    // the view of the data directory is gone with the step: nothing left mounted
    assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(temp.toString());
  }

  @Test
  void runsAsTheStepsUser() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StepLaunch launch =
        new StepLaunch(
            IMAGE,
            List.of("sh", "-c", "echo $(id -u):$(id -g)"),
            Map.of(),
            workspace(),
            Map.of(StepLaunch.LABEL_RUN, "test-user"),
            new StepIsolation(null, null, false, "1234:1234"));

    try (StepHandle handle = docker.start(launch, out)) {
      assertThat(handle.waitFor().exitCode()).isZero();
    }

    assertThat(out.toString().trim()).isEqualTo("1234:1234");
  }

  @Test
  void aStepThatAsksForANetworkGetsTheOpenNetworkAndOthersOnlyLoopback() throws Exception {
    // this engine runs without a bridge network (--bridge=none), so "host" stands for the open one
    try (DockerRuntime open =
        new DockerRuntime(HOST, new DockerRuntime.Confinement("none", "host", 1024))) {
      String interfaces = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '";
      ByteArrayOutputStream closedOut = new ByteArrayOutputStream();
      ByteArrayOutputStream openOut = new ByteArrayOutputStream();

      try (StepHandle handle = open.start(launch(workspace(), interfaces, "test-net"), closedOut)) {
        assertThat(handle.waitFor().exitCode()).isZero();
      }
      try (StepHandle handle =
          open.start(
              new StepLaunch(
                  IMAGE,
                  List.of("sh", "-c", interfaces),
                  Map.of(),
                  workspace(),
                  Map.of(StepLaunch.LABEL_RUN, "test-net"),
                  new StepIsolation(null, null, true, null)),
              openOut)) {
        assertThat(handle.waitFor().exitCode()).isZero();
      }

      assertThat(closedOut.toString().trim()).isEqualTo("lo");
      assertThat(openOut.toString().lines()).contains("lo").hasSizeGreaterThan(1);
    }
  }

  @Test
  void removesTheLeftoversOfThisRunnerIdAndOfDeadRunnerProcessesButNotOfLiveOnes()
      throws Exception {
    RunnerProcess self = RunnerProcess.current();
    assertThat(self.pidNamespace()).as("a Linux PID namespace").isNotNull();
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    Process alive = new ProcessBuilder("sleep", "60").start();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try {
      String ownId = create("runner-" + tag, self, self.pid());
      String deadRunner = create("other-" + tag, self, finished.pid());
      String liveRunner = create("live-" + tag, self, alive.pid());
      String otherHost =
          create("far-" + tag, new RunnerProcess("elsewhere-" + tag, 1, "pid:[1]"), 1);

      docker.removeLeftovers("runner-" + tag);

      assertThat(exists(ownId)).isFalse();
      assertThat(exists(deadRunner)).isFalse();
      assertThat(exists(liveRunner)).isTrue();
      assertThat(exists(otherHost)).isTrue();
      inspector.removeContainerCmd(liveRunner).withForce(true).exec();
      inspector.removeContainerCmd(otherHost).withForce(true).exec();
    } finally {
      alive.destroyForcibly();
    }
  }

  @Test
  void aRunnerOfAFleetRemovesItsFleetsDeadRunnersContainersButNeverAnotherFleets()
      throws Exception {
    RunnerProcess self = RunnerProcess.current();
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    try (DockerRuntime fleetA =
        new DockerRuntime(HOST, DockerRuntime.Confinement.DEFAULT, "a-" + tag)) {
      String sameFleet = create("dead-a-" + tag, self, finished.pid(), "a-" + tag);
      // a second stack on this engine whose runner was killed: its restart adopts these
      String otherFleet = create("dead-b-" + tag, self, finished.pid(), "b-" + tag);
      String otherFleetSameId = create("runner-" + tag, self, finished.pid(), "b-" + tag);

      fleetA.removeLeftovers("runner-" + tag);
      fleetA.removeOrphans();
      fleetA.removeOrphans(); // an orphan goes at the second sweep that finds it

      assertThat(exists(sameFleet)).isFalse();
      assertThat(exists(otherFleet)).isTrue();
      assertThat(exists(otherFleetSameId)).isTrue();
      assertThat(fleetA.leftBy("runner-" + tag)).isEmpty();
      inspector.removeContainerCmd(otherFleet).withForce(true).exec();
      inspector.removeContainerCmd(otherFleetSameId).withForce(true).exec();
    }
  }

  @Test
  void theContainerIsCreatedBeforeWhatTheStartWaitsForAndRemovedUnstartedWhenThatFails()
      throws Exception {
    String runLabel = "test-gate-" + UUID.randomUUID();
    StepWorkspace ws = workspace();
    List<String> seenAtTheGate = new java.util.ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (StepHandle handle =
        docker.start(
            launch(ws, "echo started", runLabel),
            out,
            () -> containersOf(runLabel).forEach(c -> seenAtTheGate.add(c.getState())))) {
      assertThat(handle.waitFor().exitCode()).isZero();
    }
    assertThat(seenAtTheGate).containsExactly("created");
    assertThat(out.toString()).contains("started");

    String refused = runLabel + "-refused";
    IllegalStateException notAcknowledged = new IllegalStateException("not acknowledged");
    assertThatThrownBy(
            () ->
                docker.start(
                    launch(ws, "echo never > /data/never", refused),
                    new ByteArrayOutputStream(),
                    () -> {
                      throw notAcknowledged;
                    }))
        .isSameAs(notAcknowledged);
    assertThat(containersOf(refused)).isEmpty();
    assertThat(ws.data().resolve("never")).doesNotExist();
  }

  @Test
  void aDeadRunnersStepIsStoppedAtTheFirstSweepUnlessARunnerCanStartAgainUnderItsId()
      throws Exception {
    RunnerProcess self = RunnerProcess.current();
    Process finished = new ProcessBuilder("true").start();
    finished.waitFor();
    long dead = finished.pid();
    String tag = UUID.randomUUID().toString().substring(0, 8);
    // the default id (<host>-<pid>) dies with its process; a configured one may come back
    String defaultId = runningStep(self.host() + "-" + dead, self, dead);
    String configuredId = runningStep("configured-" + tag, self, dead);
    try {
      docker.removeOrphans();

      assertThat(exists(defaultId)).isFalse();
      assertThat(exists(configuredId)).isTrue();
      docker.removeOrphans();
      assertThat(exists(configuredId)).isFalse();
    } finally {
      for (String id : List.of(defaultId, configuredId)) {
        if (exists(id)) {
          inspector.removeContainerCmd(id).withForce(true).exec();
        }
      }
    }
  }

  /** A running step container as {@code runnerId} of process {@code pid} would have left it. */
  private String runningStep(String runnerId, RunnerProcess process, long pid) {
    String id =
        inspector
            .createContainerCmd(IMAGE)
            .withCmd("sleep", "300")
            .withLabels(leftLabels(runnerId, process, pid, null))
            .exec()
            .getId();
    inspector.startContainerCmd(id).exec();
    return id;
  }

  private String create(String runnerId, RunnerProcess process, long pid) {
    return create(runnerId, process, pid, null);
  }

  private String create(String runnerId, RunnerProcess process, long pid, String fleet) {
    return inspector
        .createContainerCmd(IMAGE)
        .withCmd("true")
        .withLabels(leftLabels(runnerId, process, pid, fleet))
        .exec()
        .getId();
  }

  /** The labels of a step container made by {@code runnerId} in process {@code pid}. */
  private static Map<String, String> leftLabels(
      String runnerId, RunnerProcess process, long pid, String fleet) {
    Map<String, String> labels = new java.util.HashMap<>();
    labels.put(StepLaunch.LABEL_RUNNER, runnerId);
    labels.put(StepLaunch.LABEL_RUN, "test-leftover");
    labels.put(StepLaunch.LABEL_JOB, "test-leftover");
    labels.put(StepLaunch.LABEL_STEP, "s");
    labels.put(StepLaunch.LABEL_ATTEMPT, "1");
    labels.putAll(
        LeftoverContainers.labelsOf(
            new RunnerProcess(process.host(), pid, process.pidNamespace(), fleet)));
    return labels;
  }

  private boolean exists(String id) {
    try {
      inspector.inspectContainerCmd(id).exec();
      return true;
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return false;
    }
  }

  @Test
  void aStepOnlyHasTheLoopbackInterface() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    try (StepHandle handle =
        docker.start(launch(workspace(), "ls /sys/class/net", "test-net"), out)) {
      assertThat(handle.waitFor().exitCode()).isZero();
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

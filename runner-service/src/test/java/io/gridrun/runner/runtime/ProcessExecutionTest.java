package io.gridrun.runner.runtime;

import static io.gridrun.runner.TestRuns.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.TestRuns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The step contract with steps as local processes: the GRIDRUN_* paths are host paths. */
class ProcessExecutionTest extends StepExecutionContract {

  @Override
  ContainerRuntime runtime() {
    return new ProcessRuntime();
  }

  @Override
  String expectedWorkingDirectory(RunRequested run) {
    return runDir(run).resolve("project").toAbsolutePath().toString();
  }

  @Override
  String expectedPaths(RunRequested run) {
    String gridrun = runDir(run).resolve("gridrun").resolve("check").toAbsolutePath().toString();
    return "paths data="
        + data().toAbsolutePath()
        + " params="
        + gridrun
        + "/params.json metrics="
        + gridrun
        + "/metrics.json";
  }

  @Test
  void aCommandThatDoesNotExistFailsWithTheReason() {
    String manifest = TestRuns.snapshot(blobs, Map.of("x.txt", "x"));
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(
                new StepDefinition(
                    "odd", "x.txt", "busybox", null, null, List.of("no-such-command-gridrun"))));

    executor().execute(run);

    StepFinished odd = events.finished("odd");
    assertThat(odd.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(odd.reason()).startsWith("could not start no-such-command-gridrun");
  }

  /** A variable of the runner's own environment, which no step may see. */
  private static String runnerVariable() {
    return System.getenv().keySet().stream()
        .filter(name -> !name.equals("PATH") && name.matches("[A-Z_][A-Z0-9_]*"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aStepGetsOnlyItsOwnVariablesNotTheRunners() throws Exception {
    String inherited = runnerVariable();
    String manifest =
        TestRuns.snapshot(
            blobs,
            Map.of(
                "env.sh",
                "echo \"leak=${" + inherited + ":-none}\"\necho \"mode=$MODE path=$PATH\"\n"));
    RunRequested run =
        TestRuns.run(
            "j-env",
            manifest,
            pipeline(TestRuns.step("env")),
            TestRuns.IMAGE,
            new io.gridrun.common.grid.RunParameters(Map.of(), Map.of()),
            Map.of("MODE", "job"));

    executor().execute(run);

    assertThat(events.finished("env").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(log(run, "env"))
        .contains("leak=none")
        .contains("mode=job path=" + ProcessRuntime.DEFAULT_PATH);
  }

  @Test
  void aTimedOutStepIsKilledWithItsWholeProcessGroupEvenADetachedChild() throws Exception {
    java.nio.file.Path pidFile = temp.resolve("child.pid");
    String manifest =
        TestRuns.snapshot(
            blobs,
            Map.of(
                "spawn.sh",
                // the subshell exits at once: its sleep is no longer in the step's process tree
                "(sleep 300 >/dev/null 2>&1 & echo $! > \"$PID_FILE\")\nsleep 300\n"));
    RunRequested run =
        TestRuns.run(
            "j-group",
            manifest,
            pipeline(
                new StepDefinition(
                    "spawn",
                    "spawn.sh",
                    "busybox",
                    null,
                    null,
                    null,
                    "2s",
                    null,
                    null,
                    null,
                    null)),
            TestRuns.IMAGE,
            new io.gridrun.common.grid.RunParameters(Map.of(), Map.of()),
            Map.of("PID_FILE", pidFile.toString()));

    executor().execute(run);

    StepFinished spawn = events.finished("spawn");
    assertThat(spawn.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(spawn.reason()).isEqualTo("timeout");
    long child = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    } finally {
      ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void aStepThatEndsTakesWhatItLeftRunningInItsGroupWithIt() throws Exception {
    java.nio.file.Path pidFile = temp.resolve("left.pid");
    // the subshell exits at once: its sleep left the step's process tree and outlives the step
    StepLaunch launch = leavingAChild(pidFile, "");
    long child = -1;
    try (StepHandle handle =
        new ProcessRuntime().start(launch, java.io.OutputStream.nullOutputStream())) {
      assertThat(handle.waitFor().exitCode()).isZero();
      child = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
      long left = child;
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(left).map(p -> !p.isAlive()).orElse(true));
    } finally {
      if (child > 0) {
        ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  @Test
  void aCancelledStepIsKilledWithItsWholeProcessGroup() throws Exception {
    java.nio.file.Path pidFile = temp.resolve("child.pid");
    StepLaunch launch = leavingAChild(pidFile, "sleep 300\n");
    StepHandle handle = new ProcessRuntime().start(launch, java.io.OutputStream.nullOutputStream());
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> java.nio.file.Files.exists(pidFile) && java.nio.file.Files.size(pidFile) > 1);
      long child = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
      assertThat(ProcessHandle.of(child)).isPresent();

      handle.kill(); // what a cancel does

      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    } finally {
      handle.close();
    }
  }

  /**
   * A step that starts a child outside its process tree (its pid in {@code pidFile}), then runs
   * {@code rest}.
   */
  private StepLaunch leavingAChild(java.nio.file.Path pidFile, String rest) throws Exception {
    java.nio.file.Files.writeString(
        temp.resolve("spawn.sh"), "(sleep 300 >/dev/null 2>&1 & echo $! > \"$PID_FILE\")\n" + rest);
    return new StepLaunch(
        "unused",
        List.of("sh", "spawn.sh"),
        Map.of("PID_FILE", pidFile.toString()),
        new StepWorkspace(temp, temp, temp),
        Map.of());
  }
}

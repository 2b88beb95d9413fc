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
}

package io.gridrun.runner.runtime;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.TestRuns;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The step contract in containers of the real Docker engine; fails (never skips) without one. */
class DockerExecutionTest extends StepExecutionContract {

  static DockerRuntime docker;

  @BeforeAll
  static void engine() {
    docker = new DockerRuntime(DockerRuntimeTest.HOST);
    assertThat(docker.available())
        .as("a Docker engine must answer at " + DockerRuntimeTest.HOST)
        .isTrue();
  }

  @AfterAll
  static void closeClient() throws Exception {
    docker.close();
  }

  @Override
  ContainerRuntime runtime() {
    return docker;
  }

  @Override
  Integer workingCopyOwner() {
    return docker.workingCopyOwner();
  }

  @Override
  String expectedWorkingDirectory(RunRequested run) {
    return "/project";
  }

  @Override
  String expectedPaths(RunRequested run) {
    return "paths data=/data params=/gridrun/params.json metrics=/gridrun/metrics.json";
  }

  @Test
  void anImageThatDoesNotExistFailsTheStepWithThatReason() throws Exception {
    String manifest = TestRuns.snapshot(blobs, Map.of("a.sh", "true\n"));
    RunRequested run =
        TestRuns.run(
            "j-noimage",
            manifest,
            pipeline(step("a")),
            "gridrun/no-such-image:1",
            new RunParameters(Map.of(), Map.of()),
            Map.of());

    executor().execute(run);

    StepFinished a = events.finished("a");
    assertThat(a.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(a.reason()).isEqualTo("image not found: gridrun/no-such-image:1");
    assertThat(a.exitCode()).isNull();
    assertThat(log(run, "a")).contains("image not found: gridrun/no-such-image:1");
    // found before any step started: the run is rejected with the reason
    assertThat(events.all())
        .filteredOn(io.gridrun.common.event.RunRejected.class::isInstance)
        .singleElement()
        .satisfies(
            r ->
                assertThat(((io.gridrun.common.event.RunRejected) r).reason())
                    .isEqualTo("image not found: gridrun/no-such-image:1"));
  }
}

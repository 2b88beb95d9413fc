package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.OrchestPipeline;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.execution.StepOutputs;
import io.gridrun.runner.execution.StepSlots;
import io.gridrun.runner.storage.LogShipping;
import io.gridrun.storage.artifact.ArtifactStore;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps written for Orchest in containers of the real Docker engine (gridrun/python:3-debian): an
 * {@code .orchest} pipeline whose steps use the {@code orchest} SDK as gridrun provides it —
 * parameters, data passing with named and unnamed outputs in incoming-connection order, Orchest's
 * variables, and a clear error for a call that makes no sense in a job.
 */
class OrchestStepsDockerTest {

  static DockerRuntime docker;

  @TempDir Path temp;
  final RecordedEvents events = new RecordedEvents();

  @BeforeAll
  static void engine() {
    docker = new DockerRuntime(DockerRuntimeTest.HOST);
    assertThat(docker.available()).as("a Docker engine must answer").isTrue();
  }

  @AfterAll
  static void closeClient() throws Exception {
    docker.close();
  }

  private static final String PIPELINE =
      """
      {"name": "sdk", "uuid": "pipe-1", "parameters": {"size": 3},
       "settings": {"auto_eviction": false},
       "steps": {
         "s-first": {"title": "First", "file_path": "first.py", "environment": "py",
                     "incoming_connections": [], "parameters": {}, "kernel": {"name": "python"}},
         "s-second": {"title": "Second", "file_path": "second.py", "environment": "py",
                      "incoming_connections": [], "parameters": {"factor": 2}},
         "s-named": {"title": "Named", "file_path": "named.py", "environment": "py",
                     "incoming_connections": [], "parameters": {}},
         "s-last": {"title": "Collect", "file_path": "last.py", "environment": "py",
                    "incoming_connections": ["s-second", "s-named", "s-first"],
                    "parameters": {"label": "done"}}
       }}
      """;

  private static final String FIRST =
      """
      import orchest
      orchest.output(["first"] * orchest.get_pipeline_param("size"))
      """;
  private static final String SECOND =
      """
      import orchest
      orchest.output("second x%d" % orchest.get_step_param("factor"))
      """;
  private static final String NAMED =
      """
      import orchest
      orchest.output({"answer": 42}, name="model")
      """;
  private static final String LAST =
      """
      import os, orchest
      inputs = orchest.get_inputs()
      print("unnamed", inputs["unnamed"])
      print("model", inputs["model"])
      print("params", orchest.get_params())
      print("label", orchest.get_step_param("label"), orchest.get_step_param("none", "dflt"))
      for name in ("ORCHEST_STEP_UUID", "ORCHEST_PIPELINE_UUID", "ORCHEST_PROJECT_UUID",
                   "ORCHEST_PIPELINE_PATH", "ORCHEST_RUN_UUID"):
          print(name, os.environ[name])
      try:
          orchest.update_params({"a": 1})
      except orchest.OrchestUnsupported as e:
          print("refused:", e)
      """;

  @Test
  void orchestStepsPassDataAndReadParametersThroughTheSdk() throws Exception {
    PipelineDefinition pipeline =
        OrchestPipeline.read(EventCodec.mapper(), PIPELINE, "sdk.orchest", "proj");
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest =
        TestRuns.snapshot(
            blobs,
            Map.of("first.py", FIRST, "second.py", SECOND, "named.py", NAMED, "last.py", LAST));
    RunRequested base =
        TestRuns.run(
            "j-orchest",
            manifest,
            pipeline,
            PythonStepsDockerTest.PYTHON,
            new RunParameters(
                Map.of("size", 2),
                Map.of("s-second", Map.of("factor", 5), "s-last", Map.of("label", "done"))),
            Map.of());
    RunRequested run =
        new RunRequested(
            base.eventId(),
            base.jobId(),
            base.runId(),
            base.at(),
            base.index(),
            base.batch(),
            base.attempt(),
            base.snapshotId(),
            base.manifest(),
            base.pipeline(),
            Map.of("py", new PinnedEnvironment("py", PythonStepsDockerTest.PYTHON, null, Map.of())),
            base.parameters(),
            base.env(),
            base.leaseTimeout());
    Path data = temp.resolve("data");
    new RunExecutor(
            new RunExecutor.Parts(
                docker,
                blobs,
                new StepLogStore(temp.resolve("logs")),
                events,
                new Cancellations(),
                StepSlots.unlimited(),
                new StepOutputs(new ArtifactStore(temp.resolve("artifacts")), 1024 * 1024),
                LogShipping.NONE),
            new RunExecutor.Settings(temp.resolve("work"), data, "test", 4, 65536),
            Clock.systemUTC())
        .execute(run);

    String log =
        Files.readString(new StepLogStore(temp.resolve("logs")).pathOf(run.runId(), "s-last"));
    assertThat(events.finished("s-last").status()).as(log).isEqualTo(ExecutionStatus.SUCCESS);
    // unnamed outputs in the order of the incoming connections (second before first)
    assertThat(log)
        .contains("unnamed ['second x5', ['first', 'first']]")
        .contains("model {'answer': 42}")
        .contains("params ({'label': 'done'}, {'size': 2})")
        .contains("label done dflt")
        .contains("ORCHEST_STEP_UUID s-last")
        .contains("ORCHEST_PIPELINE_UUID pipe-1")
        .contains("ORCHEST_PROJECT_UUID proj")
        .contains("ORCHEST_PIPELINE_PATH sdk.orchest")
        .contains("ORCHEST_RUN_UUID " + run.runId())
        .contains(
            "refused: orchest.update_params is not supported by gridrun: parameters of a job's"
                + " run are fixed when the job is created");
    // nothing passed through the shared data directory
    if (Files.isDirectory(data)) {
      try (Stream<Path> files = Files.walk(data)) {
        assertThat(files.filter(Files::isRegularFile).toList()).isEmpty();
      }
    }
  }
}

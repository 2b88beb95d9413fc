package io.gridrun.runner.runtime;

import static io.gridrun.runner.TestRuns.pipeline;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.execution.StepOutputs;
import io.gridrun.runner.execution.StepSlots;
import io.gridrun.runner.storage.LogShipping;
import io.gridrun.storage.artifact.Artifact;
import io.gridrun.storage.artifact.ArtifactStore;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python and notebook steps in containers of the real Docker engine, in images made by {@code
 * scripts/python-image.sh --notebook}: the gridrun helper module, artifacts, notebooks with their
 * parameters injected, a failing cell, and an environment without nbclient. Fails (never skips)
 * when the images are missing.
 */
class PythonStepsDockerTest {

  static final String PYTHON = "gridrun/python:3-debian";
  static final String NOTEBOOK = "gridrun/python:3-debian-notebook";

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

  private ArtifactStore artifacts() {
    return new ArtifactStore(temp.resolve("artifacts"));
  }

  private RunRequested run(
      String image, Map<String, String> files, RunParameters parameters, StepDefinition... steps)
      throws Exception {
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest = TestRuns.snapshot(blobs, files);
    RunRequested base =
        TestRuns.run("j-py", manifest, pipeline(steps), image, parameters, Map.of());
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
            Map.of("py", new PinnedEnvironment("py", image, null, Map.of())),
            base.parameters(),
            base.env(),
            base.leaseTimeout());
    new RunExecutor(
            new RunExecutor.Parts(
                docker,
                blobs,
                new StepLogStore(temp.resolve("logs")),
                events,
                new Cancellations(),
                StepSlots.unlimited(),
                new StepOutputs(artifacts(), 1024 * 1024),
                LogShipping.NONE),
            new RunExecutor.Settings(temp.resolve("work"), temp.resolve("data"), "test", 4, 65536),
            Clock.systemUTC())
        .execute(run);
    return run;
  }

  private static StepDefinition step(String id, String file) {
    return new StepDefinition(id, file, "py", List.of(), null, null);
  }

  private String log(RunRequested run, String step) throws Exception {
    return Files.readString(new StepLogStore(temp.resolve("logs")).pathOf(run.runId(), step));
  }

  private String artifact(RunRequested run, String step, String path) throws Exception {
    ArtifactStore store = artifacts();
    Artifact artifact = store.find(run.runId(), step, path).orElseThrow();
    try (InputStream in = store.open(artifact)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aPythonStepUsesTheHelperModuleAndKeepsItsOutputsAsArtifacts() throws Exception {
    String train =
        """
        import gridrun, os
        print("lr", gridrun.param("lr"), "epochs", gridrun.param("epochs"))
        print("all", sorted(gridrun.params().items()))
        print("missing", gridrun.param("nope", "dflt"))
        gridrun.log_metrics(loss=0.2)
        gridrun.log_metrics(acc=gridrun.param("epochs") / 10)
        with open(gridrun.output_path("sub/model.txt"), "w") as f:
            f.write("weights of lr %s" % gridrun.param("lr"))
        print("home", os.environ["HOME"], "outputs", os.environ["GRIDRUN_OUTPUTS"])
        """;
    RunRequested run =
        run(
            PYTHON,
            Map.of("train.py", train, "after.sh", "ls \"$GRIDRUN_OUTPUTS\"; echo sh ran\n"),
            new RunParameters(Map.of("lr", 0.1), Map.of("train", Map.of("epochs", 5))),
            step("train", "train.py"),
            step("after", "after.sh"));

    StepFinished train1 = events.finished("train");
    assertThat(train1.status()).as(log(run, "train")).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(train1.metrics()).isEqualTo(Map.of("loss", 0.2, "acc", 0.5));
    assertThat(log(run, "train"))
        .contains("lr 0.1 epochs 5")
        .contains("all [('epochs', 5), ('lr', 0.1)]")
        .contains("missing dflt")
        .contains("home /tmp outputs /gridrun/outputs")
        .contains("gridrun: kept 1 artifact");
    assertThat(artifact(run, "train", "sub/model.txt")).isEqualTo("weights of lr 0.1");
    assertThat(events.finished("after").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(log(run, "after")).contains("sh ran");
  }

  private static String notebook(String... codeCells) {
    StringBuilder cells = new StringBuilder();
    cells.append("{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"# A report\"]}");
    for (String code : codeCells) {
      cells
          .append(", {\"cell_type\": \"code\", \"execution_count\": null, \"metadata\": {},")
          .append(" \"outputs\": [], \"source\": ")
          .append(io.gridrun.common.event.EventCodec.mapper().writeValueAsString(code))
          .append("}");
    }
    return "{\"cells\": ["
        + cells
        + "], \"metadata\": {\"kernelspec\": {\"name\": \"python3\", \"display_name\": \"Python"
        + " 3\", \"language\": \"python\"}}, \"nbformat\": 4, \"nbformat_minor\": 5}";
  }

  @Test
  void aNotebookRunsWithItsParametersInjectedAndIsKeptAsHtml() throws Exception {
    RunRequested run =
        run(
            NOTEBOOK,
            Map.of(
                "report.ipynb",
                notebook(
                    "print('the learning rate is', lr, 'for', model)",
                    "import gridrun\ngridrun.log_metrics(doubled=epochs * 2)")),
            new RunParameters(
                Map.of("lr", 0.125, "model", "svm"), Map.of("report", Map.of("epochs", 3))),
            step("report", "report.ipynb"));

    StepFinished report = events.finished("report");
    assertThat(report.status()).as(log(run, "report")).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(report.metrics()).isEqualTo(Map.of("doubled", 6));
    String html = artifact(run, "report", "notebook.html");
    assertThat(html)
        .startsWith("<!DOCTYPE html>")
        .contains("the learning rate is 0.125 for svm")
        .contains("injected by gridrun");
    String executed = artifact(run, "report", "notebook.ipynb");
    assertThat(executed).contains("injected-parameters").contains("lr = 0.125");
  }

  @Test
  void aFailingCellFailsTheStepNamingTheCellAndKeepsTheNotebookUpToIt() throws Exception {
    RunRequested run =
        run(
            NOTEBOOK,
            Map.of(
                "bad.ipynb",
                notebook(
                    "a = 1\nprint('first ran')",
                    "raise ValueError('lr %s is too large' % lr)",
                    "print('never printed')")),
            new RunParameters(Map.of("lr", 5), Map.of()),
            step("bad", "bad.ipynb"));

    StepFinished bad = events.finished("bad");
    assertThat(bad.status()).isEqualTo(ExecutionStatus.FAILURE);
    // cells count as the notebook has them (the markdown cell is 1), without gridrun's own
    assertThat(bad.reason()).isEqualTo("cell 3 failed: ValueError: lr 5 is too large");
    String executed = artifact(run, "bad", "notebook.ipynb");
    assertThat(executed).contains("first ran").contains("lr 5 is too large");
    assertThat(executed).doesNotContain("never printed\\n\"");
    assertThat(artifact(run, "bad", "notebook.html")).contains("ValueError");
  }

  @Test
  void aNotebookInAnEnvironmentWithoutNbclientFailsSayingSo() throws Exception {
    run(
        PYTHON,
        Map.of("n.ipynb", notebook("print(1)")),
        new RunParameters(Map.of(), Map.of()),
        step("n", "n.ipynb"));

    StepFinished n = events.finished("n");
    assertThat(n.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(n.reason()).isEqualTo("environment lacks nbclient");
  }
}

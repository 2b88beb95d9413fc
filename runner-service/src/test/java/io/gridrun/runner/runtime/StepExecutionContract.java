package io.gridrun.runner.runtime;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.execution.RunProjects;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a step sees and what the runner reports, the same under every runtime: a script written with
 * the GRIDRUN_* variables runs unchanged in a container and as a local process.
 */
abstract class StepExecutionContract {

  static final String CHECK =
      """
      set -e
      echo "pwd=$(pwd)"
      cat input.txt
      echo "params=$(cat "$GRIDRUN_PARAMS_FILE")"
      echo "job=$GRIDRUN_JOB_ID run=$GRIDRUN_RUN_ID index=$GRIDRUN_RUN_INDEX step=$GRIDRUN_STEP_ID"
      echo "lr=$GRIDRUN_PARAM_LR epochs=$GRIDRUN_PARAM_EPOCHS mode=$MODE from_env=$FROM_ENV"
      echo "paths data=$GRIDRUN_DATA params=$GRIDRUN_PARAMS_FILE metrics=$GRIDRUN_METRICS_FILE"
      echo "shared by all runs" > "$GRIDRUN_DATA/written-by-$GRIDRUN_RUN_ID.txt"
      echo "left for the next step" > handover.txt
      echo "to stderr" >&2
      printf '{"loss": 0.25, "model": "b", "ok": true}' > "$GRIDRUN_METRICS_FILE"
      """;

  @TempDir Path temp;

  FileSystemBlobStore blobs;
  StepLogStore logs;
  final RecordedEvents events = new RecordedEvents();

  abstract ContainerRuntime runtime();

  /** {@code GRIDRUN_DATA}, {@code GRIDRUN_PARAMS_FILE}, {@code GRIDRUN_METRICS_FILE} and pwd. */
  abstract String expectedPaths(RunRequested run);

  abstract String expectedWorkingDirectory(RunRequested run);

  @BeforeEach
  void stores() {
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    logs = new StepLogStore(temp.resolve("logs"));
  }

  RunExecutor executor() {
    return executor(RunProjects.copies(blobs));
  }

  RunExecutor executor(RunProjects projects) {
    return new RunExecutor(
            new RunExecutor.Parts(runtime(), blobs, logs, events, new Cancellations()),
            new RunExecutor.Settings(temp.resolve("work"), data(), "test-runner", 4, 65536),
            Clock.systemUTC())
        .withProjects(projects);
  }

  /**
   * Issue 19: runs share one materialised snapshot through overlay mounts, yet a run that changes,
   * adds and deletes project files changes only its own working copy: the next step of the same run
   * sees the changes, another run of the same snapshot (at the same time) and the shared tree do
   * not. The runner tests run as root on Linux, as CI does, so the overlay must be mounted.
   */
  @Test
  void aRunThatModifiesAndDeletesProjectFilesLeavesTheSnapshotAndOtherRunsUntouched()
      throws Exception {
    RunProjects projects =
        new RunProjects(
            blobs, temp.resolve("work"), RunProjects.Mode.OVERLAY, 2, workingCopyOwner());
    assertThat(projects.overlays()).as("overlay mounts (the runner tests run as root)").isTrue();
    String manifest =
        TestRuns.snapshot(
            blobs,
            Map.of(
                "keep.txt",
                "original\n",
                "gone.txt",
                "delete me\n",
                "sub/inner.txt",
                "inner\n",
                "change.sh",
                "echo changed > keep.txt && rm gone.txt && rm -r sub && echo new > added.txt"
                    + " && chmod 600 keep.txt && echo '# app''ended' >> change.sh\n",
                "after.sh",
                "cat keep.txt; for f in gone.txt sub added.txt; do test -e $f || echo $f missing; done\n",
                "look.sh",
                "sleep 1; cat keep.txt gone.txt sub/inner.txt; test -e added.txt || echo added.txt missing\n"));
    RunRequested changing =
        TestRuns.run(
            "j-changer",
            manifest,
            pipeline(step("change"), step("after", "change")),
            TestRuns.IMAGE,
            new RunParameters(Map.of(), Map.of()),
            Map.of());
    RunRequested looking =
        TestRuns.run(
            "j-looker",
            manifest,
            pipeline(step("look")),
            TestRuns.IMAGE,
            new RunParameters(Map.of(), Map.of()),
            Map.of());
    RunExecutor executor = executor(projects);

    Thread other = new Thread(() -> executor.execute(looking));
    other.start();
    executor.execute(changing);
    other.join(60_000);

    assertThat(events.finished("change").status())
        .as(log(changing, "change"))
        .isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(log(changing, "after"))
        .contains("changed")
        .doesNotContain("original")
        .contains("gone.txt missing", "sub missing")
        .doesNotContain("added.txt missing");
    assertThat(log(looking, "look"))
        .contains("original", "delete me", "inner", "added.txt missing")
        .doesNotContain("changed");
    Path tree = temp.resolve("work").resolve(".snapshots").resolve(manifest);
    assertThat(tree.resolve("keep.txt")).hasContent("original");
    assertThat(tree.resolve("gone.txt")).hasContent("delete me");
    assertThat(tree.resolve("sub/inner.txt")).hasContent("inner");
    assertThat(tree.resolve("added.txt")).doesNotExist();
    assertThat(Files.readString(tree.resolve("change.sh"))).doesNotContain("appended");
    // a later run of the same snapshot starts from the snapshot, not from the changed copy
    RunRequested later =
        TestRuns.run(
            "j-later",
            manifest,
            pipeline(step("look")),
            TestRuns.IMAGE,
            new RunParameters(Map.of(), Map.of()),
            Map.of());
    executor.execute(later);
    assertThat(log(later, "look")).contains("original", "delete me", "inner");
    // the run's changes are in its own upper layer, which its release removes
    assertThat(runDir(changing).resolve(".upper").resolve("keep.txt")).hasContent("changed");
    // files the run did not change were not copied into its layer (no change of owner either)
    assertThat(runDir(changing).resolve(".upper").resolve("after.sh")).doesNotExist();
    assertThat(runDir(changing).resolve(".upper").resolve("look.sh")).doesNotExist();
    assertThat(runDir(changing).resolve("project").resolve("keep.txt")).doesNotExist(); // unmounted
  }

  /** Who the runner has own working copies (as RunnerConfiguration does). */
  Integer workingCopyOwner() {
    return null;
  }

  Path data() {
    return temp.resolve("data");
  }

  Path runDir(RunRequested run) {
    return temp.resolve("work").resolve(run.runId());
  }

  String log(RunRequested run, String step) throws Exception {
    return Files.readString(logs.pathOf(run.runId(), step));
  }

  @Test
  void aStepSeesItsProjectDataParamsAndVariablesAndReportsMetrics() throws Exception {
    String manifest =
        TestRuns.snapshot(
            blobs,
            Map.of(
                "input.txt", "from the snapshot\n",
                "check.sh", CHECK,
                "next.sh", "cat handover.txt\n"));
    RunRequested run =
        TestRuns.run(
            "j-contract",
            manifest,
            pipeline(step("check"), step("next", "check")),
            TestRuns.IMAGE,
            new RunParameters(Map.of("lr", 0.1), Map.of("check", Map.of("epochs", 5))),
            Map.of("MODE", "full"));

    executor().execute(run);

    StepFinished check = events.finished("check");
    assertThat(check.status()).as(log(run, "check")).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(check.exitCode()).isZero();
    assertThat(check.metrics()).isEqualTo(Map.of("loss", 0.25, "model", "b", "ok", true));
    assertThat(log(run, "check"))
        .contains("pwd=" + expectedWorkingDirectory(run))
        .contains("from the snapshot")
        .contains(
            "params={\"job\":\"j-contract\",\"run\":\"j-contract-r0000007\",\"index\":7,"
                + "\"step\":\"check\",\"pipeline\":{\"lr\":0.1},\"step_parameters\":{\"epochs\":5}}")
        .contains("job=j-contract run=j-contract-r0000007 index=7 step=check")
        .contains("lr=0.1 epochs=5 mode=full from_env=e")
        .contains(expectedPaths(run))
        .contains("to stderr");
    assertThat(data().resolve("written-by-j-contract-r0000007.txt"))
        .hasContent("shared by all runs");
    assertThat(events.finished("next").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(log(run, "next")).contains("left for the next step");
  }

  @Test
  void aNonZeroExitFailsTheStepAndAbortsWhatDependsOnIt() throws Exception {
    String manifest =
        TestRuns.snapshot(
            blobs, Map.of("fail.sh", "echo about to fail\nexit 3\n", "after.sh", "true\n"));
    RunRequested run = TestRuns.run(manifest, pipeline(step("fail"), step("after", "fail")));

    executor().execute(run);

    StepFinished fail = events.finished("fail");
    assertThat(fail.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(fail.exitCode()).isEqualTo(3);
    assertThat(fail.reason()).isEqualTo("exit code 3");
    assertThat(log(run, "fail")).contains("about to fail");
    StepFinished after = events.finished("after");
    assertThat(after.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(after.reason()).isEqualTo("upstream step failed");
  }

  @Test
  void aMetricsFileLinkedToAHostFileGivesNoMetricsAndANoteInTheLog() throws Exception {
    Path host = temp.resolve("host-file.json");
    Files.writeString(host, "{\"secret\": \"of the host\"}");
    String manifest =
        TestRuns.snapshot(
            blobs, Map.of("link.sh", "ln -s \"$HOST_FILE\" \"$GRIDRUN_METRICS_FILE\"\n"));
    RunRequested run =
        TestRuns.run(
            "j-metrics-link",
            manifest,
            pipeline(step("link")),
            TestRuns.IMAGE,
            new RunParameters(Map.of(), Map.of()),
            Map.of("HOST_FILE", host.toAbsolutePath().toString()));

    executor().execute(run);

    StepFinished link = events.finished("link");
    assertThat(link.status()).as(log(run, "link")).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(link.metrics()).isEmpty();
    assertThat(log(run, "link")).contains("gridrun: metrics file ignored: it is a symbolic link");
  }
}

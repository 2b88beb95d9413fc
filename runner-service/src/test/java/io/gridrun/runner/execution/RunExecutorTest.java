package io.gridrun.runner.execution;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.RecordedEvents;
import io.gridrun.runner.TestRuns;
import io.gridrun.runner.storage.LogShipping;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class RunExecutorTest {

  @TempDir Path temp;

  private FileSystemBlobStore blobs;
  private StepLogStore logs;
  private final FakeRuntime runtime = new FakeRuntime();
  private final RecordedEvents events = new RecordedEvents();
  private String manifest;

  @BeforeEach
  void snapshot() {
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    logs = new StepLogStore(temp.resolve("logs"));
    manifest = TestRuns.snapshot(blobs, Map.of("input.txt", "from the snapshot"));
  }

  private RunExecutor executor(int stepParallelism) {
    return new RunExecutor(
        new RunExecutor.Parts(runtime, blobs, logs, events, new Cancellations()),
        new RunExecutor.Settings(
            temp.resolve("work"), temp.resolve("data"), "runner-1", stepParallelism, 1024),
        Clock.systemUTC());
  }

  private Path runDir(RunRequested run) {
    return temp.resolve("work").resolve(run.runId());
  }

  @Test
  void runsStepsInDependencyOrderAndReportsEachStartAndEnd() {
    RunRequested run = TestRuns.run(manifest, pipeline(step("train", "prep"), step("prep")));

    executor(4).execute(run);

    assertThat(runtime.launched()).containsExactly("prep", "train");
    assertThat(events.describe())
        .containsExactly(
            "RunStarted", "started prep", "SUCCESS prep", "started train", "SUCCESS train");
    RunStarted started = (RunStarted) events.all().get(0);
    assertThat(started.runner()).isEqualTo("runner-1");
    assertThat(started.executor()).isEqualTo("fake");
    assertThat(started.runId()).isEqualTo(run.runId());
    StepFinished train = events.finished("train");
    assertThat(train.exitCode()).isZero();
    assertThat(train.reason()).isNull();
    assertThat(train.startedAt()).isNotNull();
    assertThat(train.finishedAt()).isAfterOrEqualTo(train.startedAt());
    assertThat(runtime.closed).containsExactlyInAnyOrder("prep", "train");
  }

  @Test
  void marksDownstreamStepsAbortedWhenAStepFailsWhileAnIndependentBranchContinues() {
    runtime.exits("train", 3);
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(
                step("prep"),
                step("train", "prep"),
                step("evaluate", "train"),
                step("report", "evaluate", "stats"),
                step("stats", "prep")));

    executor(4).execute(run);

    StepFinished train = events.finished("train");
    assertThat(train.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(train.exitCode()).isEqualTo(3);
    assertThat(train.reason()).isEqualTo("exit code 3");
    for (String downstream : List.of("evaluate", "report")) {
      StepFinished aborted = events.finished(downstream);
      assertThat(aborted.status()).isEqualTo(ExecutionStatus.ABORTED);
      assertThat(aborted.reason()).isEqualTo("upstream step failed");
      assertThat(aborted.exitCode()).isNull();
      assertThat(aborted.startedAt()).isNull();
      assertThat(events.hasStarted(downstream)).isFalse();
    }
    assertThat(events.finished("stats").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(runtime.launched()).containsExactlyInAnyOrder("prep", "train", "stats");
    assertThat(events.all().stream().filter(StepFinished.class::isInstance)).hasSize(5);
  }

  @Test
  void runsIndependentBranchesAtTheSameTime() {
    // Each branch waits until the other one has started: run one after the other, both would
    // time out and fail.
    CyclicBarrier bothRunning = new CyclicBarrier(2);
    FakeRuntime.Behaviour meet =
        (launch, out) -> {
          bothRunning.await(10, TimeUnit.SECONDS);
          return 0;
        };
    runtime.on("left", meet).on("right", meet);
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(
                step("prep"),
                step("left", "prep"),
                step("right", "prep"),
                step("join", "left", "right")));

    executor(4).execute(run);

    assertThat(events.finished("left").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(events.finished("right").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(runtime.span("left").overlaps(runtime.span("right"))).isTrue();
    assertThat(runtime.span("join").start())
        .isGreaterThanOrEqualTo(Math.max(runtime.span("left").end(), runtime.span("right").end()));
    assertThat(runtime.span("left").start()).isGreaterThanOrEqualTo(runtime.span("prep").end());
  }

  @Test
  void runsNoMoreStepsOfARunAtOnceThanItsStepParallelism() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CyclicBarrier pairs = new CyclicBarrier(2);
    FakeRuntime.Behaviour counted =
        (launch, out) -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          pairs.await(10, TimeUnit.SECONDS);
          running.decrementAndGet();
          return 0;
        };
    for (String id : List.of("a", "b", "c", "d")) {
      runtime.on(id, counted);
    }

    executor(2)
        .execute(TestRuns.run(manifest, pipeline(step("a"), step("b"), step("c"), step("d"))));

    assertThat(events.all().stream().filter(StepFinished.class::isInstance))
        .allMatch(e -> ((StepFinished) e).status() == ExecutionStatus.SUCCESS)
        .hasSize(4);
    assertThat(most.get()).isEqualTo(2);
  }

  @Test
  void runsOfOneRunnerShareItsSlotsSoNoMoreStepsRunAtOnceThanItHasSlots() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    FakeRuntime.Behaviour counted =
        (launch, out) -> {
          most.accumulateAndGet(running.incrementAndGet(), Math::max);
          Thread.sleep(200);
          running.decrementAndGet();
          return 0;
        };
    for (String id : List.of("a", "b", "c", "d")) {
      runtime.on(id, counted);
    }
    StepSlots slots = new StepSlots(3);
    RunExecutor executor =
        new RunExecutor(
            new RunExecutor.Parts(
                runtime,
                blobs,
                logs,
                events,
                new Cancellations(),
                slots,
                StepOutputs.NONE,
                LogShipping.NONE),
            new RunExecutor.Settings(
                temp.resolve("work"), temp.resolve("data"), "runner-1", 4, 1024),
            Clock.systemUTC());
    RunRequested first =
        TestRuns.run(manifest, pipeline(step("a"), step("b"), step("c"), step("d")));
    RunRequested second =
        TestRuns.run(manifest, pipeline(step("a"), step("b"), step("c"), step("d")));

    var both =
        java.util.concurrent.CompletableFuture.allOf(
            java.util.concurrent.CompletableFuture.runAsync(() -> executor.execute(first)),
            java.util.concurrent.CompletableFuture.runAsync(() -> executor.execute(second)));
    both.get(30, TimeUnit.SECONDS);

    // eight independent steps, four allowed per run, but only three slots on the runner
    assertThat(events.all().stream().filter(StepFinished.class::isInstance))
        .allMatch(e -> ((StepFinished) e).status() == ExecutionStatus.SUCCESS)
        .hasSize(8);
    assertThat(most.get()).isEqualTo(3);
    assertThat(slots.busy()).isZero();
  }

  @Test
  void rejectsARunWhoseStepNamesAnEnvironmentNotInTheSnapshotBeforeAnyStepStarts() {
    RunRequested run =
        TestRuns.run(
            manifest,
            pipeline(
                step("prep"),
                new io.gridrun.common.pipeline.StepDefinition(
                    "train", "train.sh", "gpu", List.of("prep"), null, null)));

    executor(4).execute(run);

    assertRejected(run, "environment 'gpu' is not in the snapshot");
  }

  @Test
  void rejectsARunWhoseImageTheRuntimeDoesNotHaveBeforeAnyStepStarts() {
    runtime.lacksImage(TestRuns.IMAGE);
    RunRequested run = TestRuns.run(manifest, pipeline(step("prep"), step("train", "prep")));

    executor(4).execute(run);

    assertRejected(run, "image not found: " + TestRuns.IMAGE);
  }

  /** An executor with the operator's network policy and secrets key set. */
  private RunExecutor executor(
      io.gridrun.common.pipeline.NetworkPolicy policy, io.gridrun.common.secret.SecretBox key) {
    return new RunExecutor(
        new RunExecutor.Parts(runtime, blobs, logs, events, new Cancellations()),
        new RunExecutor.Settings(
            temp.resolve("work"),
            temp.resolve("data"),
            "runner-1",
            4,
            1024,
            RunExecutor.Settings.DEFAULT_MAX_LOG_BYTES,
            policy,
            key),
        Clock.systemUTC());
  }

  @Test
  void rejectsARunWhoseSecretDoesNotOpenBeforeAnyStepStarts() {
    io.gridrun.common.secret.SecretBox key =
        io.gridrun.common.secret.SecretBox.ofBase64(io.gridrun.common.secret.SecretBox.newKey());
    io.gridrun.common.secret.SecretBox other =
        io.gridrun.common.secret.SecretBox.ofBase64(io.gridrun.common.secret.SecretBox.newKey());
    RunRequested run =
        TestRuns.run(
            "j-secret",
            manifest,
            pipeline(step("prep"), step("train", "prep")),
            TestRuns.IMAGE,
            new RunParameters(Map.of(), Map.of()),
            Map.of("API_KEY", other.seal("API_KEY", "s3cr3t")));

    executor(io.gridrun.common.pipeline.NetworkPolicy.ALLOWED, key).execute(run);

    assertRejected(
        run,
        "secret 'API_KEY' could not be decrypted: its authentication failed (altered, or"
            + " sealed under another key)");
  }

  @Test
  void rejectsARunWithASecretWhenThisRunnerHasNoKeyBeforeAnyStepStarts() {
    io.gridrun.common.secret.SecretBox key =
        io.gridrun.common.secret.SecretBox.ofBase64(io.gridrun.common.secret.SecretBox.newKey());
    RunRequested run =
        TestRuns.run(
            "j-secret",
            manifest,
            pipeline(step("prep"), step("train", "prep")),
            TestRuns.IMAGE,
            new RunParameters(Map.of(), Map.of()),
            Map.of("API_KEY", key.seal("API_KEY", "s3cr3t")));

    executor(io.gridrun.common.pipeline.NetworkPolicy.ALLOWED, null).execute(run);

    assertThat(events.all().get(1))
        .isInstanceOfSatisfying(
            io.gridrun.common.event.RunRejected.class,
            r -> assertThat(r.reason()).contains("this runner has no key (gridrun.secrets.key"));
    assertThat(runtime.launched()).isEmpty();
  }

  @Test
  void rejectsARunWhoseStepAsksForANetworkThePolicyRefusesBeforeAnyStepStarts() {
    io.gridrun.common.pipeline.StepDefinition online =
        new io.gridrun.common.pipeline.StepDefinition(
            "train",
            "train.sh",
            "busybox",
            List.of("prep"),
            null,
            null,
            null,
            null,
            null,
            true,
            null);
    RunRequested run = TestRuns.run(manifest, pipeline(step("prep"), online));

    executor(io.gridrun.common.pipeline.NetworkPolicy.NONE, null).execute(run);

    assertRejected(
        run,
        "step 'train' asks for a network, which the operator's"
            + " gridrun.runner.network-policy=none forbids");
  }

  private void assertRejected(RunRequested run, String reason) {
    assertThat(events.describe())
        .containsExactly("RunStarted", "RunRejected", "FAILURE prep", "FAILURE train");
    io.gridrun.common.event.RunRejected rejected =
        (io.gridrun.common.event.RunRejected) events.all().get(1);
    assertThat(rejected.reason()).isEqualTo(reason);
    assertThat(rejected.runId()).isEqualTo(run.runId());
    assertThat(rejected.attempt()).isEqualTo(run.attempt());
    for (String id : List.of("prep", "train")) {
      assertThat(events.finished(id).reason()).isEqualTo(reason);
      assertThat(events.finished(id).exitCode()).isNull();
      assertThat(logs.pathOf(run.runId(), id)).content().contains(reason);
    }
    assertThat(runtime.launched()).isEmpty();
  }

  @Test
  void endsEveryStepWithTheReasonWhenTheWorkingCopyCannotBeMade() {
    RunRequested run = TestRuns.run("0".repeat(64), pipeline(step("prep"), step("train", "prep")));

    executor(4).execute(run);

    assertThat(events.all().get(0)).isInstanceOf(RunStarted.class);
    assertThat(events.all().get(1))
        .isInstanceOfSatisfying(
            io.gridrun.common.event.RunRejected.class,
            r -> assertThat(r.reason()).startsWith("could not prepare the working copy: "));
    for (String id : List.of("prep", "train")) {
      StepFinished finished = events.finished(id);
      assertThat(finished.status()).isEqualTo(ExecutionStatus.FAILURE);
      assertThat(finished.reason())
          .startsWith("could not prepare the working copy: ")
          .contains("no blob");
    }
    assertThat(runtime.launched()).isEmpty();
  }

  @Test
  void materialisesAFreshWorkingCopyAndKeepsItAfterTheRun() throws Exception {
    RunRequested run = TestRuns.run(manifest, pipeline(step("prep")));
    Path project = runDir(run).resolve("project");
    Files.createDirectories(project);
    Files.writeString(project.resolve("leftover.txt"), "from an earlier attempt");
    runtime.on(
        "prep",
        (launch, out) -> {
          Files.writeString(launch.workspace().project().resolve("made-by-prep.txt"), "x");
          return 0;
        });

    executor(4).execute(run);

    assertThat(project.resolve("leftover.txt")).doesNotExist();
    assertThat(project.resolve("input.txt")).hasContent("from the snapshot");
    assertThat(project.resolve("made-by-prep.txt")).exists();
    assertThat(runtime.launchOf("prep").workspace().project()).isEqualTo(project);
    assertThat(runtime.launchOf("prep").workspace().gridrun())
        .isEqualTo(runDir(run).resolve("gridrun").resolve("prep"));
    assertThat(runtime.launchOf("prep").workspace().data()).isEqualTo(temp.resolve("data"));
  }

  @Test
  void writesParamsJsonBeforeTheStepAndStartsItOnlyOnceItsLogExists() throws Exception {
    RunRequested run =
        TestRuns.run(
            "j-1",
            manifest,
            pipeline(step("prep")),
            TestRuns.IMAGE,
            new RunParameters(Map.of("lr", 0.1), Map.of("prep", Map.of("epochs", 5))),
            Map.of());
    String[] seen = new String[1];
    runtime.on(
        "prep",
        (launch, out) -> {
          seen[0] = Files.readString(launch.workspace().paramsFile());
          assertThat(logs.exists(run.runId(), "prep")).isTrue();
          assertThat(events.hasStarted("prep")).isTrue();
          out.write("hello from prep\n".getBytes(StandardCharsets.UTF_8));
          return 0;
        });

    executor(4).execute(run);

    assertThat(events.finished("prep").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(seen[0])
        .isEqualTo(
            "{\"job\":\"j-1\",\"run\":\"j-1-r0000007\",\"index\":7,\"step\":\"prep\","
                + "\"pipeline\":{\"lr\":0.1},\"step_parameters\":{\"epochs\":5}}");
    assertThat(logs.pathOf(run.runId(), "prep")).hasContent("hello from prep");
    assertThat(runtime.launchOf("prep").env())
        .containsEntry("GRIDRUN_PARAM_LR", "0.1")
        .containsEntry("GRIDRUN_PARAM_EPOCHS", "5")
        .containsEntry("GRIDRUN_STEP_ID", "prep")
        .containsEntry("FROM_ENV", "e");
    assertThat(runtime.launchOf("prep").command()).containsExactly("sh", "prep.sh");
    assertThat(runtime.launchOf("prep").image()).isEqualTo(TestRuns.IMAGE);
    assertThat(runtime.launchOf("prep").labels())
        .containsEntry("gridrun.job", "j-1")
        .containsEntry("gridrun.run", "j-1-r0000007")
        .containsEntry("gridrun.step", "prep");
  }

  @Test
  void reportsMetricsAlsoOfAFailedStepAndIgnoresAnInvalidFileWithANoteInTheLog() {
    runtime.on(
        "good",
        (launch, out) -> {
          Files.writeString(launch.workspace().metricsFile(), "{\"loss\": 0.25, \"model\": \"b\"}");
          return 2;
        });
    runtime.on(
        "bad",
        (launch, out) -> {
          Files.writeString(launch.workspace().metricsFile(), "{\"nested\": {\"a\": 1}}");
          return 0;
        });
    RunRequested run = TestRuns.run(manifest, pipeline(step("good"), step("bad")));

    executor(4).execute(run);

    StepFinished good = events.finished("good");
    assertThat(good.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(good.metrics()).isEqualTo(Map.of("loss", 0.25, "model", "b"));
    StepFinished bad = events.finished("bad");
    assertThat(bad.status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(bad.metrics()).isEmpty();
    assertThat(logs.pathOf(run.runId(), "bad"))
        .content()
        .contains("gridrun: metrics file ignored: 'nested' is not a number, string or boolean");
  }

  @Test
  void aStepThatCannotLaunchFailsWithTheReasonAndAbortsItsDownstream() {
    runtime.cannotLaunch("prep", "image not found: nope:1");
    RunRequested run = TestRuns.run(manifest, pipeline(step("prep"), step("train", "prep")));

    executor(4).execute(run);

    StepFinished prep = events.finished("prep");
    assertThat(prep.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(prep.reason()).isEqualTo("image not found: nope:1");
    assertThat(prep.exitCode()).isNull();
    assertThat(events.finished("train").status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(logs.pathOf(run.runId(), "prep")).content().contains("image not found: nope:1");
  }

  @Test
  void aRuntimeErrorFailsOnlyThatStep() {
    runtime.on(
        "broken",
        (launch, out) -> {
          throw new IllegalStateException("engine connection lost");
        });
    RunRequested run = TestRuns.run(manifest, pipeline(step("broken"), step("fine")));

    executor(4).execute(run);

    assertThat(events.finished("broken").status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(events.finished("broken").reason()).contains("engine connection lost");
    assertThat(events.finished("fine").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(runtime.closed).contains("broken");
  }

  @Test
  void paramsJsonIsValidJsonWithTheContractKeys() throws Exception {
    RunRequested run = TestRuns.run(manifest, pipeline(step("prep")));

    executor(4).execute(run);

    Map<String, Object> params =
        JsonMapper.builder()
            .build()
            .readValue(
                runDir(run).resolve("gridrun/prep/params.json").toFile(),
                new tools.jackson.core.type.TypeReference<
                    java.util.LinkedHashMap<String, Object>>() {});
    assertThat(params.keySet())
        .containsExactly("job", "run", "index", "step", "pipeline", "step_parameters");
  }

  @Test
  void refusesARunWhoseIdWouldLeaveTheWorkDirectoryOrWhosePipelineIsCyclic() throws Exception {
    Path outside = Files.createDirectories(temp.resolve("precious"));
    Files.writeString(outside.resolve("keep.txt"), "keep");
    RunRequested valid = TestRuns.run(manifest, pipeline(step("a")));
    RunRequested escaping =
        new RunRequested(
            valid.eventId(),
            valid.jobId(),
            "../precious",
            valid.at(),
            0,
            0,
            1,
            valid.snapshotId(),
            manifest,
            valid.pipeline(),
            valid.environments(),
            valid.parameters(),
            valid.env());
    RunRequested cyclic = TestRuns.run(manifest, pipeline(step("a", "b"), step("b", "a")));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor(4).execute(escaping))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a safe name");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor(4).execute(cyclic))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cycle");
    assertThat(outside.resolve("keep.txt")).hasContent("keep");
    assertThat(events.all()).isEmpty();
  }

  @Test
  void underNetworkPolicyNoneAStepAskingForANetworkFailsWithTheReasonAndNeverStarts() {
    RunExecutor strict =
        new RunExecutor(
            new RunExecutor.Parts(runtime, blobs, logs, events, new Cancellations()),
            new RunExecutor.Settings(
                temp.resolve("work"),
                temp.resolve("data"),
                "runner-1",
                4,
                1024,
                RunExecutor.Settings.DEFAULT_MAX_LOG_BYTES,
                io.gridrun.common.pipeline.NetworkPolicy.NONE,
                null),
            Clock.systemUTC());
    io.gridrun.common.pipeline.StepDefinition online =
        new io.gridrun.common.pipeline.StepDefinition(
            "online", "online.sh", "busybox", null, null, null, null, null, null, true, null);
    RunRequested run = TestRuns.run(manifest, pipeline(online, step("offline")));

    strict.execute(run);

    StepFinished refused = events.finished("online");
    assertThat(refused.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(refused.reason())
        .isEqualTo(
            "step 'online' asks for a network, which the operator's"
                + " gridrun.runner.network-policy=none forbids");
    // the run is rejected before any step starts (run.rejected); a run of steps the policy allows
    // runs, offline
    assertThat(runtime.launched()).isEmpty();
    strict.execute(TestRuns.run(manifest, pipeline(step("offline"))));
    assertThat(runtime.launched()).containsExactly("offline");
    assertThat(runtime.launchOf("offline").isolation().network()).isFalse();
  }
}

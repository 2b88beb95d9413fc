package io.gridrun.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.execution.RunExecutor;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.messaging.RunSlots;
import io.gridrun.runner.runtime.DockerRuntime;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner process killed with SIGKILL mid-step, and a new runner started on the host under the
 * same runner id and work directory: it adopts the step containers left, one still running and one
 * that exited meanwhile, and neither step runs a second time (marks in {@code /data}). Real Docker
 * engine; fails (never skips) without one.
 */
class AdoptionDockerTest {

  static final String HOST = "unix:///var/run/docker.sock";

  private static final String SLOW =
      """
      echo begin
      echo slow >> "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.marks"
      while [ ! -f "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.go" ]; do sleep 0.2; done
      echo end
      printf '{"loss": 0.5}' > "$GRIDRUN_METRICS_FILE"
      """;
  private static final String AFTER =
      """
      echo after >> "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.marks"
      """;
  private static final String QUICK =
      """
      echo quick >> "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.marks"
      while [ ! -f "$GRIDRUN_DATA/$GRIDRUN_RUN_ID.go" ]; do sleep 0.2; done
      echo "quick is done"
      exit 3
      """;

  @TempDir Path temp;
  private Process left;
  private RunSlots slots;

  @AfterEach
  void cleanUp() throws Exception {
    if (left != null) {
      left.destroyForcibly();
    }
    if (slots != null) {
      slots.shutdown(Duration.ofSeconds(5), () -> {});
    }
  }

  @Test
  void aRunnerStartedAgainAdoptsTheStepContainersItsKilledPredecessorLeft() throws Exception {
    Path work = temp.resolve("work");
    Path data = temp.resolve("data");
    Files.createDirectories(data);
    data.toFile().setWritable(true, false);
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest =
        TestRuns.snapshot(blobs, Map.of("slow.sh", SLOW, "after.sh", AFTER, "quick.sh", QUICK));
    String runner = "guard-adopt-" + UUID.randomUUID().toString().substring(0, 8);
    RunRequested followed = run(manifest, step("slow"), step("after", "slow"));
    RunRequested exited = run(manifest, step("quick"));

    left = startRunner(runner, work, data, followed, exited);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                Files.exists(data.resolve(followed.runId() + ".marks"))
                    && Files.exists(data.resolve(exited.runId() + ".marks")));
    left.destroyForcibly().waitFor(); // kill -9 of the runner process, both steps running
    assertThat(left.descendants()).isEmpty();
    // one step exits while no runner is there, the other goes on
    Files.writeString(data.resolve(exited.runId() + ".go"), "");
    await().atMost(Duration.ofSeconds(60)).until(() -> state(exited).equals("exited"));
    assertThat(state(followed)).isEqualTo("running");

    RecordedEvents events = new RecordedEvents();
    StepLogStore logs = new StepLogStore(temp.resolve("logs"));
    AttemptsInFlight inFlight = new AttemptsInFlight();
    List<RunRequested> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    adoption(runner, work, data, blobs, events, logs, inFlight, reported::add).start();

    await().atMost(Duration.ofSeconds(60)).until(() -> finished(events, exited, "quick") != null);
    StepFinished quick = finished(events, exited, "quick");
    assertThat(quick.status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(quick.exitCode()).isEqualTo(3);
    assertThat(quick.attempt()).isEqualTo(exited.attempt());
    assertThat(logs.pathOf(exited.runId(), "quick")).content().contains("quick is done");
    assertThat(inFlight.all()).anyMatch(a -> a.runId().equals(followed.runId()));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(reported)
                    .as("the exited attempt's whole outcome supersedes the run's next attempt")
                    .containsExactly(exited));

    Files.writeString(data.resolve(followed.runId() + ".go"), "");
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> finished(events, followed, "after") != null);
    StepFinished slow = finished(events, followed, "slow");
    assertThat(slow.status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(slow.exitCode()).isZero();
    assertThat(slow.metrics()).containsEntry("loss", 0.5);
    assertThat(logs.pathOf(followed.runId(), "slow"))
        .content()
        .as("its whole output, from before the kill too")
        .contains("begin")
        .contains("end");
    assertThat(finished(events, followed, "after").status()).isEqualTo(ExecutionStatus.SUCCESS);

    assertThat(events.all()).noneMatch(RunStarted.class::isInstance);
    assertThat(marks(data, followed)).containsExactly("slow", "after");
    assertThat(marks(data, exited)).containsExactly("quick");
    await().atMost(Duration.ofSeconds(30)).until(() -> inFlight.all().isEmpty());
    assertThat(reported).containsExactly(exited, followed);
    // removed (in the background) once its outcome was recorded
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> {
              assertThat(state(followed)).as("removed once its outcome was recorded").isEmpty();
              assertThat(state(exited)).isEmpty();
            });
  }

  @Test
  void aStepWhoseContainerWasCreatedButNeverStartedRunsInsteadOfBeingTakenForDone()
      throws Exception {
    Path work = temp.resolve("work");
    Path data = temp.resolve("data");
    Files.createDirectories(data);
    data.toFile().setWritable(true, false);
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest = TestRuns.snapshot(blobs, Map.of("slow.sh", SLOW, "after.sh", AFTER));
    String runner = "guard-created-" + UUID.randomUUID().toString().substring(0, 8);
    RunRequested run = run(manifest, step("slow"), step("after", "slow"));

    left = startRunner(runner, work, data, run);
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> Files.exists(data.resolve(run.runId() + ".marks")));
    left.destroyForcibly().waitFor();
    // the kill came between the next step's create and its start: its container never ran
    String created = createdLike(run, "slow", "after");
    Files.writeString(data.resolve(run.runId() + ".go"), "");

    RecordedEvents events = new RecordedEvents();
    StepLogStore logs = new StepLogStore(temp.resolve("logs"));
    adoption(runner, work, data, blobs, events, logs, new AttemptsInFlight(), r -> {}).start();

    await().atMost(Duration.ofSeconds(120)).until(() -> finished(events, run, "after") != null);
    assertThat(finished(events, run, "slow").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(finished(events, run, "after").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(marks(data, run))
        .as("the step whose container never started ran once, now")
        .containsExactly("slow", "after");
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () -> assertThat(docker("ps", "-aq", "--filter", "id=" + created)).isEmpty());
  }

  /** The adoption of a runner started again as {@code runner}, with 4 slots (kept to close). */
  private Adoption adoption(
      String runner,
      Path work,
      Path data,
      FileSystemBlobStore blobs,
      RecordedEvents events,
      StepLogStore logs,
      AttemptsInFlight inFlight,
      java.util.function.Consumer<RunRequested> reported) {
    DockerRuntime docker = new DockerRuntime(HOST);
    RunExecutor executor =
        new RunExecutor(
            new RunExecutor.Parts(docker, blobs, logs, events, new Cancellations()),
            new RunExecutor.Settings(work, data, runner, 4, 65536),
            Clock.systemUTC());
    slots = new RunSlots(4, executor::execute);
    return new Adoption(docker, executor, slots, inFlight, reported, runner, Clock.systemUTC());
  }

  /**
   * Creates, never starts, a container for {@code step} of the run with the labels the killed
   * runner put on its {@code like} step's container: what a kill between create and start leaves.
   */
  private static String createdLike(RunRequested run, String like, String step) throws Exception {
    String id =
        docker(
            "ps",
            "-aq",
            "--filter",
            "label=gridrun.run=" + run.runId(),
            "--filter",
            "label=gridrun.step=" + like);
    @SuppressWarnings("unchecked")
    Map<String, String> labels =
        EventCodec.mapper()
            .readValue(docker("inspect", "-f", "{{json .Config.Labels}}", id), Map.class);
    labels.put("gridrun.step", step);
    List<String> create = new ArrayList<>(List.of("create"));
    labels.forEach((k, v) -> create.addAll(List.of("--label", k + "=" + v)));
    create.addAll(List.of(TestRuns.IMAGE, "sh", "-c", "exit 0"));
    return docker(create.toArray(String[]::new));
  }

  private static String docker(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("docker"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    return out;
  }

  private Process startRunner(String runner, Path work, Path data, RunRequested... runs)
      throws IOException {
    List<String> command = new ArrayList<>();
    // in a PID namespace of its own, so that no other runner process on this machine (another
    // test's) takes its containers for those of a dead neighbour and removes them; killing
    // unshare kills the runner with it
    command.addAll(List.of("unshare", "--pid", "--kill-child=SIGKILL"));
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(LeftRunnerMain.class.getName());
    command.add(runner);
    command.add(work.toString());
    command.add(data.toString());
    command.add(temp.resolve("blobs").toString());
    command.add(temp.resolve("left-logs").toString());
    for (RunRequested run : runs) {
      Path file = temp.resolve(run.runId() + ".json");
      Files.writeString(file, EventCodec.encode(run));
      command.add(file.toString());
    }
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("left-runner.log").toFile())
        .start();
  }

  /** The state of the run's container ({@code running}, {@code exited}), empty when it is gone. */
  private static String state(RunRequested run) throws Exception {
    Process ps =
        new ProcessBuilder(
                "docker",
                "ps",
                "-a",
                "--filter",
                "label=gridrun.run=" + run.runId(),
                "--format",
                "{{.State}}")
            .redirectErrorStream(true)
            .start();
    String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    ps.waitFor();
    return out;
  }

  private static List<String> marks(Path data, RunRequested run) throws IOException {
    return Files.readAllLines(data.resolve(run.runId() + ".marks"));
  }

  private static StepFinished finished(RecordedEvents events, RunRequested run, String step) {
    return events.all().stream()
        .filter(e -> e instanceof StepFinished f && f.runId().equals(run.runId()))
        .map(StepFinished.class::cast)
        .filter(f -> f.stepId().equals(step))
        .findFirst()
        .orElse(null);
  }

  private static StepDefinition step(String id, String... dependsOn) {
    return new StepDefinition(id, id + ".sh", "busybox", List.of(dependsOn), null, null);
  }

  private static RunRequested run(String manifest, StepDefinition... steps) {
    return TestRuns.run(
        "j-guard-" + UUID.randomUUID().toString().substring(0, 8),
        manifest,
        TestRuns.pipeline(steps),
        TestRuns.IMAGE,
        new RunParameters(Map.of(), Map.of()),
        Map.of());
  }
}

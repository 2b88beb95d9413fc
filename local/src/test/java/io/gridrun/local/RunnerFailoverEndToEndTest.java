package io.gridrun.local;

import static io.gridrun.local.TestSupport.docker;
import static io.gridrun.local.TestSupport.map;
import static io.gridrun.local.TestSupport.runsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.runner.RunnerServiceApplication;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 5's acceptance test: two runner-services, each a JVM of its own, share a job's runs in one
 * consumer group; one is killed with {@code kill -9} while it executes runs, and the job still ends
 * with every run {@code SUCCESS}, each executed to completion exactly once. A step leaves its mark
 * in {@code /data} only when it completes, so the marks count completed executions.
 *
 * <p>What makes it work: the killed runner's heartbeats stop, job-service requests its runs again
 * with the next attempt when their leases expire, the consumer group hands the dead runner's
 * partitions to the survivor, and the survivor removes the dead runner's containers before they
 * complete (orphan sweep), so a killed attempt never leaves a mark.
 */
class RunnerFailoverEndToEndTest {

  private static final String IMAGE = "gridrun/busybox:test";
  private static final int RUNS = 6;
  private static final int STEP_SECONDS = 8;

  /**
   * Short, so that a killed runner's runs are requested again in seconds; not shorter, since a
   * runner gives an attempt up when it could not send a heartbeat for two thirds of it (4 s here),
   * which a loaded CI machine running two test JVMs at once must not trip.
   */
  private static final Duration LEASE_TIMEOUT = Duration.ofSeconds(6);

  private static final Duration DRAIN = Duration.ofSeconds(2);

  /** Runner logs stay in the module's target directory for a look after a failure. */
  private static final Path LOGS = Path.of("target", "runner-failover");

  @TempDir Path home;
  private LocalStack stack;
  private final List<ChildService> runners = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    // runners first: they leave the group and drain while the broker is still there
    for (ChildService runner : runners) {
      runner.close();
    }
    if (stack != null) {
      stack.close();
    }
    // the killed runner is not started again: its /data views and working copies stay mounted
    LeftMounts.unmountUnder(home);
  }

  @Test
  void killingARunnerMidRunLosesNoRunAndCompletesEveryRunExactlyOnce() throws Exception {
    Fleet fleet = startFleet();
    String jobId = submitJob(fleet.api());
    Victim victim = awaitVictim(fleet, jobId);

    assertThat(victim.runner().kill()).as("exit status of kill -9").isEqualTo(ChildService.KILLED);
    assertThat(victim.runner().isAlive()).isFalse();
    // the survivor removes the dead runner's containers before their steps could complete
    await()
        .atMost(Duration.ofSeconds(STEP_SECONDS))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> containersOf(jobId, victim.id()).isEmpty());

    assertEveryRunCompletedOnce(fleet, jobId, victim);
  }

  @Test
  void aRunnerStoppedGracefullyHandsItsUnfinishedRunsBackAfterTheDrainTimeout() throws Exception {
    Fleet fleet = startFleet();
    String jobId = submitJob(fleet.api());
    Victim victim = awaitVictim(fleet, jobId);

    long stopping = System.nanoTime();
    victim.runner().close(); // SIGTERM: drains for DRAIN, then gives its runs up
    assertThat(Duration.ofNanos(System.nanoTime() - stopping))
        .as("stopped after the drain timeout, without waiting for its steps")
        .isLessThan(Duration.ofSeconds(STEP_SECONDS + 5));
    // it killed its own containers on the way out
    assertThat(containersOf(jobId, victim.id())).isEmpty();

    // handed back, not left to time out
    String log = Files.readString(LOGS.resolve(victim.id() + ".log"));
    for (String run : victim.runs()) {
      assertThat(log).contains("Giving up run " + run + " attempt 1: the runner is shutting down");
    }
    assertEveryRunCompletedOnce(fleet, jobId, victim);
  }

  /** The stack and its two runner processes. */
  private record Fleet(GridrunClient api, Map<String, ChildService> runners) {}

  /** The runner chosen to go while it executes {@code runs}. */
  private record Victim(String id, ChildService runner, ChildService survivor, Set<String> runs) {}

  private Fleet startFleet() throws Exception {
    DockerProbe docker = new DockerProbe(DockerProbe.DEFAULT_SOCKET);
    assertThat(docker.engineAnswers())
        .as("a Docker engine must answer at /var/run/docker.sock (run ./gridrun test)")
        .isTrue();
    assertThat(docker.imageExists(IMAGE)).as("test image " + IMAGE).isTrue();

    // the stack without runners of its own; two runner processes join it while it starts
    stack =
        LocalStack.infrastructure(
            new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, true)
                .withRunners(0)
                .withLeases(LEASE_TIMEOUT, Duration.ofMillis(500)));
    Files.createDirectories(LOGS);
    ChildService a = ChildService.launch(runner("runner-a"));
    runners.add(a);
    ChildService b = ChildService.launch(runner("runner-b"));
    runners.add(b);
    stack.withServices();
    a.awaitHealthy(Duration.ofMinutes(3));
    b.awaitHealthy(Duration.ofMinutes(3));
    RunQueue.awaitMembersWithPartitions(stack.kafkaBootstrap(), 2);

    GridrunClient api = stack.client();
    assertThat(api.put("/api/v1/environments/busybox", "{\"image\": \"" + IMAGE + "\"}").status())
        .isEqualTo(200);
    writeProject();
    return new Fleet(api, Map.of("runner-a", a, "runner-b", b));
  }

  private static String submitJob(GridrunClient api) throws Exception {
    GridrunClient.Answer created =
        api.post(
            "/api/v1/jobs",
            """
            { "name": "failover", "project": "failover", "pipeline": "p.pipeline.json",
              "grid": { "pipeline": { "n": [1, 2, 3, 4, 5, 6] } } }
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    return (String) created.json().get("id");
  }

  /** Waits until a runner executes a step of the job (its container runs, the step has begun). */
  private Victim awaitVictim(Fleet fleet, String jobId) {
    Map<String, String> running =
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> midStep(jobId), found -> !found.isEmpty());
    String victimId = running.values().iterator().next();
    ChildService victim = fleet.runners().get(victimId);
    ChildService survivor =
        fleet.runners().values().stream().filter(r -> r != victim).findFirst().orElseThrow();
    Set<String> runs =
        running.entrySet().stream()
            .filter(e -> e.getValue().equals(victimId))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    return new Victim(victimId, victim, survivor, runs);
  }

  /**
   * The job and every run succeed; each run completed exactly once; the victim's runs twice begun.
   */
  private void assertEveryRunCompletedOnce(Fleet fleet, String jobId, Victim victim)
      throws Exception {
    GridrunClient api = fleet.api();
    Map<String, Object> job =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> api.get("/api/v1/jobs/" + jobId).json(),
                j -> List.of("SUCCESS", "FAILURE", "ABORTED").contains(j.get("status")));
    assertThat(victim.survivor().isAlive()).isTrue();
    assertThat(job.get("status")).as("job %s", job).isEqualTo("SUCCESS");
    assertThat(job.get("runCounts"))
        .isEqualTo(Map.of("PENDING", 0, "STARTED", 0, "SUCCESS", RUNS, "FAILURE", 0, "ABORTED", 0));

    List<Map<String, Object>> runs = runsOf(api, jobId);
    assertThat(runs)
        .hasSize(RUNS)
        .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));
    Map<String, Integer> attempts =
        runs.stream()
            .collect(
                Collectors.toMap(
                    r -> (String) r.get("id"), r -> ((Number) r.get("attempt")).intValue()));
    assertThat(victim.runs()).isNotEmpty();
    for (String lost : victim.runs()) {
      assertThat(attempts.get(lost)).as("attempt of lost run " + lost).isGreaterThan(1);
    }

    // every run completed exactly once: one mark each, with its own parameter
    Map<String, String> expectedMarks = new LinkedHashMap<>();
    for (Map<String, Object> run : runs) {
      Map<String, Object> parameters = map(map(run.get("parameters")).get("pipeline"));
      expectedMarks.put((String) run.get("id"), run.get("id") + " n=" + parameters.get("n"));
    }
    assertThat(lines("done.txt")).containsExactlyInAnyOrderElementsOf(expectedMarks.values());
    // the lost attempts really had begun: their runs began twice, and completed once
    Map<String, Long> begun = count(lines("started.txt"));
    for (String lost : victim.runs()) {
      assertThat(begun.get(lost)).as("executions begun of " + lost).isGreaterThanOrEqualTo(2);
    }
  }

  private ChildService.Spec runner(String id) {
    Map<String, String> properties = new LinkedHashMap<>(stack.runnerProperties(id));
    properties.put("gridrun.runner.slots", "3");
    properties.put("gridrun.runner.heartbeat-interval", "1s");
    properties.put("gridrun.runner.orphan-sweep", "1s");
    properties.put("gridrun.runner.drain-timeout", DRAIN.toSeconds() + "s");
    // a member that died leaves the group after 6 s (the broker's minimum), not the default 45 s
    properties.put("spring.kafka.consumer.properties.session.timeout.ms", "6000");
    properties.put("spring.kafka.consumer.properties.heartbeat.interval.ms", "1000");
    return new ChildService.Spec(
        id,
        RunnerServiceApplication.class.getName(),
        List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"),
        properties,
        LOGS.resolve(id + ".log"));
  }

  private void writeProject() throws IOException {
    Path dir = home.resolve("projects/failover");
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "n": 0 },
          "steps": [ { "id": "work", "file": "work.sh", "environment": "busybox" } ] }
        """);
    // the mark of a completed execution is written at the very end: a killed one leaves none
    Files.writeString(
        dir.resolve("work.sh"),
        """
        set -eu
        mkdir -p "$GRIDRUN_DATA/failover"
        echo "$GRIDRUN_RUN_ID" >> "$GRIDRUN_DATA/failover/started.txt"
        sleep %d
        echo "$GRIDRUN_RUN_ID n=$GRIDRUN_PARAM_N" >> "$GRIDRUN_DATA/failover/done.txt"
        """
            .formatted(STEP_SECONDS));
  }

  /** Runs of the job whose step has begun in a running container: run id → runner id. */
  private Map<String, String> midStep(String jobId) throws Exception {
    Set<String> begun = Set.copyOf(lines("started.txt"));
    Map<String, String> running = new LinkedHashMap<>();
    for (String line :
        docker(
            "ps",
            "--filter",
            "label=gridrun.job=" + jobId,
            "--format",
            "{{.Label \"gridrun.run\"}} {{.Label \"gridrun.runner\"}}")) {
      String[] runAndRunner = line.split(" ");
      if (runAndRunner.length == 2 && begun.contains(runAndRunner[0])) {
        running.put(runAndRunner[0], runAndRunner[1]);
      }
    }
    return running;
  }

  /** Containers of the job started by the runner, running or not. */
  private static List<String> containersOf(String jobId, String runnerId) throws Exception {
    return docker(
        "ps",
        "-a",
        "--filter",
        "label=gridrun.job=" + jobId,
        "--filter",
        "label=gridrun.runner=" + runnerId,
        "--format",
        "{{.ID}}");
  }

  private List<String> lines(String markFile) throws IOException {
    Path file = home.resolve("data/failover").resolve(markFile);
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  private static Map<String, Long> count(List<String> values) {
    return values.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }
}

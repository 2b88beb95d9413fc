package io.gridrun.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's compose cluster, really started: the published {@code docker-compose.yml} with {@code
 * docker-compose.local.yml} (locally built images, scripts/compose-images.sh) brought up with
 * Debian's {@code docker-compose}: three KRaft brokers (replication factor 3, {@code
 * min.insync.replicas} 2), the MongoDB stand-in, S3Proxy, the four services and three runners
 * ({@code --scale runner-service=3}). A 60-run job of busybox steps runs; while it runs one broker
 * and one runner container are killed; the job still completes with every run {@code SUCCESS}, each
 * executed to completion exactly once (a step leaves its mark in {@code /data} only at its end).
 * The cluster is torn down whatever happens.
 *
 * <p>Runs only with the Maven profile {@code compose} ({@code ./gridrun test}); it needs a Docker
 * engine, {@code docker-compose} and the test image (scripts/docker-engine.sh).
 */
class ComposeClusterTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final Path OUT = Path.of("target", "compose-cluster").toAbsolutePath();
  private static final String PROJECT = "gridrun-compose-test";
  private static final String STEP_IMAGE = "gridrun/busybox:test";
  private static final int RUNS = 60;
  private static final int STEP_SECONDS = 12;
  private static final String TOKEN = "compose-" + UUID.randomUUID();

  private Compose compose;
  private Path host;
  private String jobId;

  @AfterEach
  void tearDown() throws Exception {
    if (compose == null) {
      return;
    }
    try {
      compose.compose(Duration.ofMinutes(2), "logs", "--no-color", "--tail", "300");
    } catch (IllegalStateException e) {
      // the logs are only for a look after a failure
    }
    try {
      compose.compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "5");
    } finally {
      if (jobId != null) {
        for (String id :
            compose.dockerLines("ps", "-aq", "--filter", "label=gridrun.job=" + jobId)) {
          compose.docker("rm", "-f", id);
        }
      }
    }
  }

  @Test
  void aJobCompletesEveryRunExactlyOnceThroughTheLossOfABrokerAndARunner() throws Exception {
    long started = System.nanoTime();
    Api api = startCluster();
    report("cluster up", started);

    assertThat(
            api.put("/api/v1/environments/busybox", "{\"image\": \"" + STEP_IMAGE + "\"}").status())
        .isEqualTo(200);
    Api.Answer uploaded = api.put("/api/v1/projects/marks", projectArchive(), "application/gzip");
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
    Map<String, Double> cpuAtStart = cpu();
    String grid =
        IntStream.rangeClosed(1, RUNS).mapToObj(String::valueOf).collect(Collectors.joining(","));
    Api.Answer created =
        api.post(
            "/api/v1/jobs",
            """
            { "name": "compose", "project": "marks", "pipeline": "p.pipeline.json",
              "grid": { "pipeline": { "n": [%s] } } }
            """
                .formatted(grid));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    jobId = created.read("$.id");

    // mid-job: some runs done, a runner in the middle of steps. What the kill needs is looked up
    // first: between the look at the steps and the kill, a step may end (docker calls are slow on a
    // loaded machine)
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> lines("done.txt").size() >= 3);
    Map<String, String> containerOfRunner = runnerContainers();
    Map<String, Double> cpuAtKill = cpu();
    Map<String, String> running =
        await()
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () -> lines("done.txt").size() >= 6 ? midStep() : Map.<String, String>of(),
                steps -> !steps.isEmpty());
    String victimRunner = running.values().iterator().next();
    String victimContainer = containerOfRunner.get(victimRunner);
    assertThat(victimContainer).as("container of runner " + victimRunner).isNotNull();
    Set<String> lost =
        running.entrySet().stream()
            .filter(e -> e.getValue().equals(victimRunner))
            .map(Map.Entry::getKey)
            .collect(Collectors.toCollection(TreeSet::new));
    compose.docker("kill", victimContainer);
    compose.docker("kill", PROJECT + "_kafka-2_1");
    // a step of the victim that completed between the look at its containers and the kill is not
    // lost: only those without their completion mark at the kill must be begun again
    List<String> doneAtKill = lines("done.txt");
    int doneBefore = doneAtKill.size();
    lost.removeIf(run -> doneAtKill.stream().anyMatch(line -> line.startsWith(run + " ")));
    assertThat(lost)
        .as("runs of the killed runner still in their step when it was killed")
        .isNotEmpty();
    report("killed kafka-2 and " + victimContainer + " after " + doneBefore + " runs", started);
    assertThat(doneBefore).as("runs done before the kills").isLessThan(RUNS);

    String status =
        await()
            .atMost(Duration.ofMinutes(7))
            .pollInterval(Duration.ofSeconds(1))
            .ignoreExceptions()
            .until(
                () -> api.get("/api/v1/jobs/" + jobId).<String>read("$.status"),
                s -> List.of("SUCCESS", "FAILURE", "ABORTED").contains(s));
    report("job " + status, started);
    Map<String, Double> cpuAtEnd = new LinkedHashMap<>(cpuAtKill);
    cpuAtEnd.putAll(cpu()); // the killed containers keep their reading from before the kill
    writeCpuFigure(cpuAtStart, cpuAtEnd);
    Api.Answer job = api.get("/api/v1/jobs/" + jobId);
    assertThat(status).as(job.body()).isEqualTo("SUCCESS");
    assertThat(job.<Integer>read("$.runCounts.SUCCESS")).isEqualTo(RUNS);
    assertThat(job.<Integer>read("$.runCounts.FAILURE")).isZero();

    List<Map<String, Object>> runs = runs(api);
    assertThat(runs).hasSize(RUNS);
    assertThat(runs).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("SUCCESS"));
    Map<String, Integer> attempts =
        runs.stream()
            .collect(
                Collectors.toMap(
                    r -> (String) r.get("id"), r -> ((Number) r.get("attempt")).intValue()));
    for (String run : lost) {
      assertThat(attempts.get(run))
          .as("attempt of the killed runner's run " + run)
          .isGreaterThan(1);
    }

    // every run completed exactly once: one mark each, with its own parameter
    List<String> expected = new ArrayList<>();
    for (Map<String, Object> run : runs) {
      @SuppressWarnings("unchecked")
      Map<String, Object> parameters =
          (Map<String, Object>) ((Map<String, Object>) run.get("parameters")).get("pipeline");
      expected.add(run.get("id") + " n=" + parameters.get("n"));
    }
    assertThat(lines("done.txt")).containsExactlyInAnyOrderElementsOf(expected);
    Map<String, Long> begun =
        lines("started.txt").stream()
            .map(line -> line.split(" ")[0])
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    for (String run : lost) {
      assertThat(begun.get(run)).as("executions begun of " + run).isGreaterThanOrEqualTo(2);
    }
    // the broker stayed down: the job completed on two of three (min.insync.replicas 2)
    assertThat(compose.docker("inspect", "-f", "{{.State.Running}}", PROJECT + "_kafka-2_1"))
        .contains("false");
  }

  private Api startCluster() throws Exception {
    Files.createDirectories(OUT);
    Path log = OUT.resolve("commands.log");
    Files.deleteIfExists(log);
    host = OUT.resolve("host");
    deleteTree(host);
    Files.createDirectories(host.resolve("data"));
    int port = freePort();
    Path testFile = OUT.resolve("docker-compose.test.yml");
    Files.writeString(testFile, TEST_SETTINGS);
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("GRIDRUN_HOST_DIR", host.toString());
    environment.put("GRIDRUN_PORT", "127.0.0.1:" + port);
    environment.put("GRIDRUN_ADMIN_TOKEN", TOKEN);
    compose =
        new Compose(
            ROOT,
            PROJECT,
            List.of(
                ROOT.resolve("docker-compose.yml"),
                ROOT.resolve("docker-compose.local.yml"),
                testFile),
            environment,
            log);
    // a cluster left by an earlier run that was stopped before its tear-down
    compose.compose(Duration.ofMinutes(3), "down", "-v", "--remove-orphans", "-t", "1");
    long building = System.nanoTime();
    compose.run(List.of("scripts/compose-images.sh"), Duration.ofMinutes(20));
    report("images", building);
    compose.compose(Duration.ofMinutes(5), "up", "-d", "--no-build", "--scale", "runner-service=3");

    Api api = new Api(URI.create("http://127.0.0.1:" + port), TOKEN);
    // minutes on a loaded machine: a dozen JVMs start on two cores (a broker that gives up waiting
    // for the controller under load is restarted by its restart policy)
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptions()
        .until(() -> api.get("/api/v1/jobs").status() == 200);
    // three runners, each in the run queue's consumer group with partitions of its own
    await()
        .atMost(Duration.ofMinutes(4))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> runnerContainers().size() == 3 && runnersWithPartitions() == 3);
    return api;
  }

  /**
   * The test's own settings on top of the two published files: leases checked every second and a
   * fast orphan sweep, so that a killed runner's runs are handed over soon. The lease stays at its
   * default (30 s): a runner gives an attempt up after two thirds of it without a renewal, and the
   * renewals of runners that are alive wait for the partitions led by the killed broker to move
   * (KRaft's broker session timeout, 9 s, then new leaders). A request the killed runner took but
   * had not started is not committed, so it goes to a runner that is alive; the start timeout is a
   * backstop.
   */
  private static final String TEST_SETTINGS =
      """
      services:
        job-service:
          environment:
            GRIDRUN_JOBS_LEASE_CHECK: 1s
            GRIDRUN_JOBS_START_TIMEOUT: 180s
        runner-service:
          environment:
            GRIDRUN_RUNNER_SLOTS: "3"
            GRIDRUN_RUNNER_HEARTBEAT_INTERVAL: 1s
            GRIDRUN_RUNNER_ORPHAN_SWEEP: 1s
            GRIDRUN_RUNNER_DRAIN_TIMEOUT: 2s
            SPRING_KAFKA_CONSUMER_PROPERTIES_SESSION_TIMEOUT_MS: "6000"
            SPRING_KAFKA_CONSUMER_PROPERTIES_HEARTBEAT_INTERVAL_MS: "1000"
      """;

  /** CPU ms so far of each running container's main process (container → ms). */
  private Map<String, Double> cpu() throws Exception {
    Map<String, Double> readings = new LinkedHashMap<>();
    for (String container : services().keySet()) {
      long pid =
          Long.parseLong(compose.docker("inspect", "-f", "{{.State.Pid}}", container).strip());
      if (pid > 0) {
        readings.put(container, ContainerCpu.millis(pid));
      }
    }
    return readings;
  }

  /** Running containers of the cluster → their compose service. */
  private Map<String, String> services() throws Exception {
    Map<String, String> services = new LinkedHashMap<>();
    for (String line :
        compose.dockerLines(
            "ps",
            "--filter",
            "label=com.docker.compose.project=" + PROJECT,
            "--format",
            "{{.Names}} {{.Label \"com.docker.compose.service\"}}")) {
      String[] nameAndService = line.split(" ");
      services.put(nameAndService[0], nameAndService[1]);
    }
    return services;
  }

  /**
   * The fleet figure: CPU ms per run spent by each service during the job (failover included),
   * written to {@code target/compose-cluster/cpu-per-run.md}.
   */
  private void writeCpuFigure(Map<String, Double> start, Map<String, Double> end)
      throws IOException {
    Map<String, String> serviceOf = new LinkedHashMap<>();
    for (String container : end.keySet()) {
      serviceOf.put(container, container.replaceAll("^" + PROJECT + "_(.*)_\\d+$", "$1"));
    }
    String table =
        ContainerCpu.table(
            ContainerCpu.perService(start, end, serviceOf),
            RUNS,
            "CPU time of each service's process during the "
                + RUNS
                + "-run job of busybox steps ("
                + STEP_SECONDS
                + " s each) on the compose cluster, a broker and a runner killed mid-job; runners"
                + " and brokers summed over their containers:");
    Files.writeString(OUT.resolve("cpu-per-run.md"), table);
    System.out.println(table);
  }

  /** Runner id ({@code gridrun-runners-<pid>}: host name and host pid) → its container. */
  private Map<String, String> runnerContainers() throws Exception {
    Map<String, String> containers = new LinkedHashMap<>();
    for (String line :
        compose.dockerLines(
            "ps",
            "--filter",
            "label=com.docker.compose.project=" + PROJECT,
            "--filter",
            "label=com.docker.compose.service=runner-service",
            "--format",
            "{{.Names}}")) {
      String pid = compose.docker("inspect", "-f", "{{.State.Pid}}", line).strip();
      containers.put("gridrun-runners-" + pid, line);
    }
    return containers;
  }

  /** Runners whose log says the run queue's consumer has partitions assigned. */
  private int runnersWithPartitions() throws Exception {
    int count = 0;
    for (String container : runnerContainers().values()) {
      String logs = compose.docker("logs", container);
      if (logs.lines().anyMatch(l -> l.contains("partitions assigned: [gridrun.runs"))) {
        count++;
      }
    }
    return count;
  }

  /**
   * Runs of the job whose step began less than a third of a step ago in a running container and has
   * not ended: run id → runner id. Two thirds of a step (8 s) are left for the kill and for a
   * runner that is alive to stop the killed one's steps (its orphan sweep); CI once took more than
   * the half step allowed before, on a loaded machine, and those steps ran to their end.
   */
  private Map<String, String> midStep() throws Exception {
    long recent = Instant.now().getEpochSecond() - STEP_SECONDS / 3;
    Set<String> done =
        lines("done.txt").stream().map(line -> line.split(" ")[0]).collect(Collectors.toSet());
    Set<String> begun =
        lines("started.txt").stream()
            .map(line -> line.split(" "))
            .filter(mark -> mark.length == 2 && Long.parseLong(mark[1]) >= recent)
            .map(mark -> mark[0])
            .filter(run -> !done.contains(run))
            .collect(Collectors.toSet());
    Map<String, String> running = new LinkedHashMap<>();
    for (String line :
        compose.dockerLines(
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

  private List<Map<String, Object>> runs(Api api) throws Exception {
    List<Map<String, Object>> all = new ArrayList<>();
    for (int page = 0; all.size() < RUNS && page < 10; page++) {
      List<Map<String, Object>> items =
          api.get("/api/v1/jobs/" + jobId + "/runs?size=50&page=" + page).read("$.items");
      if (items.isEmpty()) {
        break;
      }
      all.addAll(items);
    }
    return all;
  }

  private List<String> lines(String markFile) throws IOException {
    Path file = host.resolve("data/marks").resolve(markFile);
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  /** The project: one busybox step that marks its start and, at its very end, its completion. */
  private static byte[] projectArchive() throws Exception {
    Path dir = Files.createTempDirectory("gridrun-compose-project");
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        { "parameters": { "n": 0 },
          "steps": [ { "id": "work", "file": "work.sh", "environment": "busybox" } ] }
        """);
    Files.writeString(
        dir.resolve("work.sh"),
        """
        set -eu
        mkdir -p "$GRIDRUN_DATA/marks"
        echo "$GRIDRUN_RUN_ID $(date +%%s)" >> "$GRIDRUN_DATA/marks/started.txt"
        sleep %d
        echo "$GRIDRUN_RUN_ID n=$GRIDRUN_PARAM_N" >> "$GRIDRUN_DATA/marks/done.txt"
        """
            .formatted(STEP_SECONDS));
    Process tar =
        new ProcessBuilder("tar", "-czf", "-", "-C", dir.toString(), ".")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    byte[] archive = tar.getInputStream().readAllBytes();
    assertThat(tar.waitFor()).isZero();
    deleteTree(dir);
    return archive;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void report(String what, long since) {
    System.out.printf(
        "compose cluster: %s at %d s%n",
        what, Duration.ofNanos(System.nanoTime() - since).toSeconds());
  }
}

package io.gridrun.bench;

import io.gridrun.common.event.Topics;
import io.gridrun.local.DockerProbe;
import io.gridrun.local.GridrunClient;
import io.gridrun.local.LocalStack;
import io.gridrun.local.StackSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;

/**
 * Issue 5's figures, each stack fresh: (a) N one-step no-op runs on one runner with one slot,
 * Docker executor, against N sequential {@code docker run --rm} of the same image; (b) the same
 * with four slots; (c) runs per minute of two-step runs, process executor, with 1, 2 and 4 runners
 * in the stack, against the same two processes run back to back and against one runner.
 */
final class RunnerBench {

  static final String IMAGE = "gridrun/busybox:test";
  static final int FLEET_SLOTS = 4;
  private static final String RUNNER_GROUP = "runner-service";
  private static final List<String> DOCKER_RUN =
      List.of("docker", "run", "--rm", "--network", "none", IMAGE, "true");

  /**
   * @param dockerRuns N of (a) and (b)
   * @param fleetRuns runs of each throughput job of (c), more than its window can finish
   * @param window how long runs are counted in (c)
   * @param fleets the runner counts of (c), e.g. 1, 2, 4; none skips (c)
   */
  record Settings(
      int dockerRuns, long fleetRuns, Duration window, List<Integer> fleets, Path workDir) {}

  /** Where the time went and what changed (issue 19 §4), printed under the table. */
  static final List<String> NOTES =
      List.of(
          "Where the time went, per container step beyond `docker run --rm`'s own round trips"
              + " (create, attach, start, wait, remove): `mount`/`umount` processes for the step's"
              + " nosuid,nodev view of `/data` (about 40 and 30 ms), the wait for the container's"
              + " exit as its own round trip after the start, and the removal (about 60 ms) on the"
              + " step's path; before issue 19 also an inspect of every container for an OOM kill"
              + " and a full copy of the snapshot as the run's working copy.",
          "What changed: the wait is issued with the attach, before the start; the container is"
              + " removed and the view unmounted in the background once the step's end is recorded"
              + " (ContainerRemovals; a stopping runner waits for removals under way); the view's"
              + " bind mount and nosuid,nodev remount are system calls; an inspect only for a"
              + " container that exited 137; working copies as overlay mounts (see the snapshots"
              + " section). Not done: creating the next container while the previous runs (a runner"
              + " takes at most one run per slot, so at one slot the next run is not taken until"
              + " the slot frees).");

  /** The figures, and what could not be measured here, each with why. */
  record Result(List<Figure> figures, List<String> notRun) {}

  private final Settings settings;
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notRun = new ArrayList<>();

  /** (a) and (b)'s baseline, measured once: the same N {@code docker run --rm} for both. */
  private Double dockerBaseline;

  RunnerBench(Settings settings) {
    this.settings = settings;
  }

  Result run() throws Exception {
    String missing = dockerMissing();
    if (missing == null) {
      dockerRuns(1);
      dockerRuns(4);
    } else {
      notRun.add(
          "Docker figures (one runner with 1 and with 4 slots against `docker run --rm`): "
              + missing);
    }
    fleetThroughput();
    return new Result(List.copyOf(figures), List.copyOf(notRun));
  }

  /** Why the Docker figures cannot be measured on this machine; null when they can. */
  static String dockerMissing() throws InterruptedException {
    DockerProbe probe = new DockerProbe(DockerProbe.DEFAULT_SOCKET);
    if (!probe.engineAnswers()) {
      return "no Docker engine answers at " + DockerProbe.DEFAULT_SOCKET;
    }
    if (!probe.imageExists(IMAGE)) {
      return "the image " + IMAGE + " is missing (scripts/busybox-image.sh builds it)";
    }
    try {
      Process version =
          new ProcessBuilder("docker", "version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (version.waitFor() != 0) {
        return "`docker version` failed, so the `docker run` baseline cannot run";
      }
    } catch (IOException e) {
      return "no `docker` command for the `docker run` baseline (" + e.getMessage() + ")";
    }
    return null;
  }

  private LocalStack stack(String name, boolean docker, int runners, int slots)
      throws IOException, InterruptedException {
    Path home = Files.createDirectories(settings.workDir().resolve(name));
    LocalStack stack =
        LocalStack.infrastructure(
            new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, docker)
                .withRunners(runners)
                .withRunnerSlots(slots));
    Phases.mark(name + ": Kafka and MongoDB started");
    Stops.awaitAll(); // the services start once the previous stack stopped (see Stops)
    stack.withServices();
    Phases.mark(name + ": services started");
    return stack;
  }

  /** (a) and (b): one job of N one-step runs on one runner with {@code slots} slots. */
  private void dockerRuns(int slots) throws Exception {
    LocalStack stack = stack("runner-docker-" + slots, true, 1, slots);
    try {
      GridrunClient api = stack.client();
      BenchProject.create(stack.settings().projectsRoot(), api);
      // first use of the image and the snapshot path: not part of any figure
      runToSuccess(api, "docker-warm-up-" + slots, 1);
      Phases.mark("docker " + slots + ": project and warm-up run");
      // a fresh stack's first jobs run while the JIT still compiles the hot paths of its services
      // and its broker: in a first 40-run job, its compiler threads took more CPU per run than all
      // other threads of the stack (session 20). That job is reported on its own; the figure is
      // the next one, as a stack that has been up a while runs
      double first = timedJob(api, "docker-first-" + slots).millis();
      Phases.mark("docker " + slots + ": the stack's first job of that size");
      TimedJob measured = timedJob(api, "docker-" + slots);
      double gridrun = measured.millis();
      long runs = measured.runs();
      Phases.mark("docker " + slots + ": measured job");
      if (dockerBaseline == null) {
        dockerBaseline = dockerRunMillis(runs);
        Phases.mark("docker run baseline");
      }
      double baseline = dockerBaseline;
      figures.add(
          new Figure(
              runs
                  + " no-op one-step runs, Docker executor, 1 runner × "
                  + slots
                  + (slots == 1 ? " slot" : " slots")
                  + ": POST of the job → job SUCCESS",
              gridrun,
              "ms",
              runs + " sequential `" + String.join(" ", DOCKER_RUN) + "`",
              baseline,
              false));
      figures.add(
          new Figure(
              "the same, as the fresh stack's first job of that size (its JIT still compiling)",
              first,
              "ms",
              runs + " sequential `docker run --rm` as above",
              baseline,
              false));
      if (slots > 1) {
        // what the engine itself gives that many containers at a time: the bound of any slot count
        double concurrent = dockerRunMillis(runs, slots);
        Phases.mark("docker run baseline, " + slots + " at a time");
        figures.add(
            new Figure(
                "the same job, 1 runner × " + slots + " slots",
                gridrun,
                "ms",
                runs + " `docker run --rm` as above, " + slots + " at a time",
                concurrent,
                false));
      }
    } finally {
      Stops.later("runner-docker-" + slots, stack);
    }
  }

  /** A job's runs and the milliseconds from its POST to its {@code finishedAt}. */
  private record TimedJob(long runs, double millis) {}

  private TimedJob timedJob(GridrunClient api, String name) throws Exception {
    Instant posted = Instant.now();
    Map<String, Object> job = runToSuccess(api, name, settings.dockerRuns());
    return new TimedJob(
        ((Number) job.get("runCount")).longValue(),
        Duration.between(posted, Instant.parse((String) job.get("finishedAt"))).toNanos()
            / 1_000_000.0);
  }

  private Map<String, Object> runToSuccess(GridrunClient api, String name, long runs)
      throws Exception {
    GridrunClient.Answer created =
        api.post("/api/v1/jobs", BenchProject.job(name, runs, BenchProject.SINGLE_STEP));
    if (created.status() != 202) {
      throw new IllegalStateException("job refused: " + created.body());
    }
    String id = (String) created.json().get("id");
    Duration timeout = Duration.ofMinutes(2).plus(Duration.ofSeconds(10).multipliedBy(runs));
    Map<String, Object> job = OrchestrationBench.awaitEnd(api, id, timeout);
    if (!"SUCCESS".equals(job.get("status"))) {
      throw new IllegalStateException("job " + name + " ended " + job.get("status") + ": " + job);
    }
    return job;
  }

  /** Wall time of {@code runs} sequential {@code docker run --rm}, after one unmeasured. */
  private static double dockerRunMillis(long runs) throws Exception {
    return dockerRunMillis(runs, 1);
  }

  /** Wall time of {@code runs} {@code docker run --rm}, {@code atATime} at a time. */
  private static double dockerRunMillis(long runs, int atATime) throws Exception {
    dockerRun();
    ExecutorService pool = Executors.newFixedThreadPool(atATime);
    try {
      List<Future<Object>> done = new ArrayList<>();
      Instant start = Instant.now();
      for (long i = 0; i < runs; i++) {
        done.add(
            pool.submit(
                () -> {
                  dockerRun();
                  return null;
                }));
      }
      for (Future<Object> run : done) {
        run.get();
      }
      return Duration.between(start, Instant.now()).toNanos() / 1_000_000.0;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void dockerRun() throws Exception {
    Process run =
        new ProcessBuilder(DOCKER_RUN)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    int status = run.waitFor();
    if (status != 0) {
      throw new IllegalStateException(String.join(" ", DOCKER_RUN) + " exited with " + status);
    }
  }

  /** (c): runs per minute with 1, 2 and 4 runners, each count in a stack of its own. */
  private void fleetThroughput() throws Exception {
    Double oneRunner = null;
    for (int runners : settings.fleets()) {
      double perMinute = fleetRunsPerMinute(runners);
      String name =
          "throughput: two-step runs (`true`), process executor, "
              + runners
              + (runners == 1 ? " runner" : " runners")
              + " × "
              + FLEET_SLOTS
              + " slots, "
              + settings.window().toSeconds()
              + " s";
      if (oneRunner == null) {
        oneRunner = perMinute;
        long direct = OrchestrationBench.directRunMillis(20);
        figures.add(
            new Figure(
                name,
                perMinute,
                "runs/min",
                "the same two processes run back to back",
                60_000.0 / Math.max(1, direct),
                true));
      } else {
        figures.add(
            new Figure(
                name,
                perMinute,
                "runs/min",
                "1 runner × " + FLEET_SLOTS + " slots (above)",
                oneRunner,
                true));
      }
    }
  }

  /**
   * Completed runs per minute of a job larger than the window can finish, counted once every run is
   * requested (dispatch does not share the window), every runner holds part of the run queue and
   * runs complete.
   */
  private double fleetRunsPerMinute(int runners) throws Exception {
    LocalStack stack = stack("runner-fleet-" + runners, false, runners, FLEET_SLOTS);
    try {
      GridrunClient api = stack.client();
      BenchProject.create(stack.settings().projectsRoot(), api);
      GridrunClient.Answer created =
          api.post("/api/v1/jobs", BenchProject.job("fleet-" + runners, settings.fleetRuns()));
      if (created.status() != 202) {
        throw new IllegalStateException("job refused: " + created.body());
      }
      String id = (String) created.json().get("id");
      long runCount = awaitRunCount(api, id);
      BenchKafka.awaitRecords(
          stack.kafkaBootstrap(), Topics.RUNS, runCount, Duration.ofMinutes(15));
      awaitFleet(stack.kafkaBootstrap(), runners);
      Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
      while (OrchestrationBench.successes(api, id) == 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      Phases.mark("fleet " + runners + ": job dispatched, first run succeeded");
      long before = OrchestrationBench.successes(api, id);
      Instant start = Instant.now();
      Thread.sleep(settings.window().toMillis());
      long after = OrchestrationBench.successes(api, id);
      double minutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;
      api.post("/api/v1/jobs/" + id + "/cancel", "");
      if (before == 0) {
        throw new IllegalStateException("no run of the fleet job succeeded within 2 minutes");
      }
      if (after >= runCount) {
        throw new IllegalStateException(
            "all "
                + runCount
                + " runs finished within the window, so the rate is not measured: raise"
                + " --throughput-runs");
      }
      return (after - before) / minutes;
    } finally {
      Stops.later("runner-fleet-" + runners, stack);
    }
  }

  static long awaitRunCount(GridrunClient api, String id) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (Instant.now().isBefore(deadline)) {
      Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
      if (job != null && job.get("runCount") instanceof Number n && n.longValue() > 0) {
        return n.longValue();
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("job " + id + " has no runs after 2 minutes");
  }

  /** Waits until the runner group is stable with {@code runners} members, each with partitions. */
  static void awaitFleet(String bootstrap, int runners) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
      ConsumerGroupDescription group = null;
      while (Instant.now().isBefore(deadline)) {
        group = admin.describeConsumerGroups(List.of(RUNNER_GROUP)).all().get().get(RUNNER_GROUP);
        if (group.groupState() == GroupState.STABLE
            && group.members().size() == runners
            && group.members().stream()
                .allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
          return;
        }
        Thread.sleep(200);
      }
      throw new IllegalStateException(
          "the runner group did not settle on "
              + runners
              + " members holding partitions: "
              + group);
    }
  }
}

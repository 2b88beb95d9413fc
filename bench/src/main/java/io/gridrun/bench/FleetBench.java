package io.gridrun.bench;

import io.gridrun.common.event.Topics;
import io.gridrun.local.ChildService;
import io.gridrun.local.GridrunClient;
import io.gridrun.local.LocalStack;
import io.gridrun.local.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 17's fleet figure and issue 19's cost per run: two-step no-op runs (process executor) with
 * 1, 2 and 4 runner processes, each stack fresh, job-service and every runner in a JVM of its own.
 * Besides runs per minute, the CPU time each process spent in the window (its own counters, {@link
 * ProcessCpu}) divided by the runs completed in it: what one run costs each service, whatever the
 * machine, from which the capacity of N runners and brokers is projected (docs/deploy.md).
 */
final class FleetBench {

  private static final String RUNNER_MAIN = "io.gridrun.runner.RunnerServiceApplication";
  private static final String JOB_MAIN = "io.gridrun.job.JobServiceApplication";

  /**
   * @param fleets runner processes of each measurement, e.g. 1, 2, 4
   * @param slots slots of every runner
   * @param runs runs of each job, more than the window can finish
   * @param window how long runs and CPU are counted
   * @param jvmOptions extra options of the service JVMs, e.g. {@code -XX:StartFlightRecording}
   */
  record Settings(
      List<Integer> fleets,
      int slots,
      long runs,
      Duration window,
      List<String> jvmOptions,
      Path workDir) {}

  /** One fleet's measurement: runs/min and CPU ms per run by process. */
  record Measurement(int runners, double runsPerMinute, Map<String, Double> cpuMsPerRun) {}

  private final Settings settings;

  FleetBench(Settings settings) {
    this.settings = settings;
  }

  /** The harness's section: 1, 2 and 4 runner processes × 4 slots, no profiling. */
  static String section(long runs, Duration window, Path workDir, String command) throws Exception {
    double loadBefore = BenchReport.loadAverage();
    List<Figure> figures =
        new FleetBench(new Settings(List.of(1, 2, 4), 4, runs, window, List.of(), workDir)).run();
    return BenchReport.markdown(
            "Fleet of runner processes, CPU per run (issues 17, 19)",
            figures,
            command,
            List.of(),
            BenchReport.load(loadBefore, BenchReport.loadAverage()))
        + OrchestrationProfile.NOTES;
  }

  List<Figure> run() throws Exception {
    List<Measurement> measured = new ArrayList<>();
    for (int runners : settings.fleets()) {
      measured.add(measure(runners));
    }
    return figures(measured, settings.slots(), settings.window());
  }

  /** The figures: runs/min against the first fleet, CPU ms per run of each process kind. */
  static List<Figure> figures(List<Measurement> measured, int slots, Duration window) {
    List<Figure> figures = new ArrayList<>();
    Measurement first = measured.get(0);
    for (Measurement m : measured) {
      String fleet = m.runners() + (m.runners() == 1 ? " runner process" : " runner processes");
      String name =
          "fleet: two-step runs (`true`), process executor, "
              + fleet
              + " × "
              + slots
              + " slots, "
              + window.toSeconds()
              + " s";
      figures.add(
          m == first
              ? Figure.alone(name, m.runsPerMinute(), "runs/min")
              : new Figure(
                  name,
                  m.runsPerMinute(),
                  "runs/min",
                  first.runners() + " runner process(es) (above)",
                  first.runsPerMinute(),
                  true));
      m.cpuMsPerRun()
          .forEach(
              (process, ms) ->
                  figures.add(
                      Figure.alone(
                          "fleet, " + fleet + ": CPU per run, " + process, ms, "ms CPU/run")));
    }
    return figures;
  }

  private Measurement measure(int runners) throws Exception {
    Path home = Files.createDirectories(settings.workDir().resolve("fleet-" + runners));
    LocalStack stack =
        LocalStack.infrastructure(
            new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, false)
                .withRunners(0));
    Children children = new Children();
    try {
      // every JVM launched at once and the in-process services started meanwhile: one after the
      // other, they took half of a quick run's fleet section
      ChildService jobService =
          children.add(
              ChildService.launch(
                  new ChildService.Spec(
                      "job-service",
                      JOB_MAIN,
                      jvmOptions("256m", home.resolve("job-service.jfr")),
                      Map.of(
                          "spring.kafka.bootstrap-servers",
                          stack.kafkaBootstrap(),
                          "spring.mongodb.uri",
                          stack.mongoUri("gridrun-jobs")),
                      home.resolve("job-service.log"))));
      List<ChildService> fleet = new ArrayList<>();
      for (int i = 1; i <= runners; i++) {
        String id = "bench-runner-" + i;
        Map<String, String> properties = new LinkedHashMap<>(stack.runnerProperties(id));
        properties.put("gridrun.runner.slots", String.valueOf(settings.slots()));
        fleet.add(
            children.add(
                ChildService.launch(
                    new ChildService.Spec(
                        id,
                        RUNNER_MAIN,
                        jvmOptions("384m", home.resolve(id + ".jfr")),
                        properties,
                        home.resolve(id + ".log")))));
      }
      Stops.awaitAll(); // before this JVM's services start (see Stops)
      stack.withServices(jobService.url());
      Phases.mark("fleet " + runners + ": Kafka, MongoDB and in-process services started");
      for (ChildService child : children.started) {
        child.awaitHealthy(Duration.ofMinutes(4));
      }
      Phases.mark("fleet " + runners + ": job-service and runner JVMs started");
      GridrunClient api = stack.client();
      BenchProject.create(stack.settings().projectsRoot(), api);
      GridrunClient.Answer created =
          api.post("/api/v1/jobs", BenchProject.job("fleet-" + runners, settings.runs()));
      if (created.status() != 202) {
        throw new IllegalStateException("job refused: " + created.body());
      }
      String id = (String) created.json().get("id");
      long runCount = RunnerBench.awaitRunCount(api, id);
      BenchKafka.awaitRecords(
          stack.kafkaBootstrap(), Topics.RUNS, runCount, Duration.ofMinutes(15));
      Phases.mark("fleet " + runners + ": job dispatched");
      RunnerBench.awaitFleet(stack.kafkaBootstrap(), runners);
      Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
      while (OrchestrationBench.successes(api, id) == 0 && Instant.now().isBefore(deadline)) {
        Thread.sleep(100);
      }
      Phases.mark("fleet " + runners + ": group settled, first run succeeded");
      long before = OrchestrationBench.successes(api, id);
      Map<String, ProcessCpu.Sample> cpuBefore = cpu(jobService, fleet);
      Instant start = Instant.now();
      Thread.sleep(settings.window().toMillis());
      long after = OrchestrationBench.successes(api, id);
      Map<String, ProcessCpu.Sample> cpuAfter = cpu(jobService, fleet);
      double minutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;
      Phases.mark("fleet " + runners + ": window");
      // the job's counters before its cancel, for the error below
      Object counts = api.get("/api/v1/jobs/" + id).json().get("runCounts");
      api.post("/api/v1/jobs/" + id + "/cancel", "");
      long done = after - before;
      if (before == 0 || done <= 0) {
        throw new IllegalStateException(
            "no run of the fleet job succeeded "
                + (before == 0 ? "within 5 minutes" : "in the window")
                + " ("
                + before
                + " before it, "
                + after
                + " after; the job counted "
                + counts
                + ")");
      }
      if (after >= runCount) {
        throw new IllegalStateException(
            "all " + runCount + " runs finished within the window: raise --throughput-runs");
      }
      return new Measurement(runners, done / minutes, perRun(cpuBefore, cpuAfter, done));
    } finally {
      Stops.later("fleet-" + runners, children, stack);
    }
  }

  private List<String> jvmOptions(String heap, Path recording) {
    List<String> options = new ArrayList<>();
    options.add("-Xmx" + heap);
    for (String option : settings.jvmOptions()) {
      options.add(option.replace("{jfr}", recording.toString()));
    }
    return options;
  }

  /** CPU so far of job-service, the runners (their JVMs, and their steps), and this JVM. */
  private static Map<String, ProcessCpu.Sample> cpu(
      ChildService jobService, List<ChildService> fleet) {
    Map<String, ProcessCpu.Sample> samples = new LinkedHashMap<>();
    samples.put("job-service", ProcessCpu.of(jobService.pid()));
    long runnerOwn = 0;
    long steps = 0;
    for (ChildService runner : fleet) {
      ProcessCpu.Sample s = ProcessCpu.of(runner.pid());
      runnerOwn += s.ownMillis();
      steps += s.childrenMillis();
    }
    samples.put("runner-service (all runner JVMs)", new ProcessCpu.Sample(runnerOwn, 0));
    samples.put("steps (the runners' child processes)", new ProcessCpu.Sample(steps, 0));
    samples.put(
        "rest (one JVM: Kafka, MongoDB, gateway, snapshot-service, bench)", ProcessCpu.self());
    return samples;
  }

  static Map<String, Double> perRun(
      Map<String, ProcessCpu.Sample> before, Map<String, ProcessCpu.Sample> after, long runs) {
    Map<String, Double> perRun = new LinkedHashMap<>();
    before.forEach(
        (process, earlier) -> {
          ProcessCpu.Sample spent = after.get(process).minus(earlier);
          perRun.put(process, (spent.ownMillis() + spent.childrenMillis()) / (double) runs);
        });
    return perRun;
  }

  /** The child JVMs of one measurement, stopped together. */
  private static final class Children implements AutoCloseable {

    private final List<ChildService> started = new ArrayList<>();

    ChildService add(ChildService child) {
      started.add(child);
      return child;
    }

    @Override
    public void close() throws InterruptedException {
      for (ChildService child : started) {
        child.close();
      }
    }
  }
}

package io.gridrun.bench;

import io.gridrun.common.event.Topics;
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

/**
 * Issue 6's figures: dispatch rate of a large job against a plain Kafka producer, orchestration
 * throughput and latency against running the same steps directly, and job-service's heap peak.
 */
final class OrchestrationBench {

  record Settings(
      long dispatchRuns,
      long throughputRuns,
      Duration throughputWindow,
      int latencyJobs,
      long latencyWarmUpRuns,
      Path workDir) {}

  private static final int WARM_UP_JOBS = 3;
  private static final int LATENCY_WARM_UP_JOBS = 12;
  private static final Duration POLL = Duration.ofMillis(250);

  private final Settings settings;
  private final List<Figure> figures = new ArrayList<>();

  OrchestrationBench(Settings settings) {
    this.settings = settings;
  }

  List<Figure> run() throws Exception {
    dispatch();
    throughputAndLatency();
    return figures;
  }

  private LocalStack stack(String name, int runners) throws IOException {
    Path home = Files.createDirectories(settings.workDir().resolve(name));
    LocalStack stack =
        LocalStack.infrastructure(
            new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, false)
                .withRunners(runners));
    Phases.mark(name + ": Kafka and MongoDB started");
    return stack;
  }

  /**
   * job-service in a process of its own (256 MiB of heap, its log under {@code name}), the stack's
   * other services started against it while it starts (once the previous stack stopped, see {@link
   * Stops}), and the bench project pushed.
   */
  private ChildJobService jobService(LocalStack stack, String name) throws Exception {
    ChildJobService jobService =
        ChildJobService.launch(
            stack.kafkaBootstrap(),
            stack.mongoUri("gridrun-jobs"),
            "256m",
            settings.workDir().resolve(name + "-job-service.log"));
    try {
      Stops.awaitAll();
      stack.withServices(jobService.url());
      Phases.mark(name + ": services started");
      jobService.awaitHealthy();
      Phases.mark(name + ": job-service JVM started");
    } catch (Exception | Error e) {
      jobService.close();
      throw e;
    }
    BenchProject.create(stack.settings().projectsRoot(), stack.client());
    return jobService;
  }

  private void dispatch() throws Exception {
    long runs = settings.dispatchRuns();
    LocalStack stack = stack("dispatch", 0);
    ChildJobService jobService = null;
    try {
      jobService = jobService(stack, "dispatch");
      GridrunClient api = stack.client();
      // a running service answers warm: a few one-run jobs first, their requests on the topic
      for (int i = 0; i < WARM_UP_JOBS; i++) {
        api.post("/api/v1/jobs", BenchProject.job("warm-up-" + i, 1));
      }
      BenchKafka.awaitRecords(
          stack.kafkaBootstrap(), Topics.RUNS, WARM_UP_JOBS, Duration.ofMinutes(2));
      Phases.mark("dispatch: warm-up jobs");
      Instant posted = Instant.now();
      GridrunClient.Answer created = api.post("/api/v1/jobs", BenchProject.job("dispatch", runs));
      Duration answer = Duration.between(posted, Instant.now());
      if (created.status() != 202) {
        throw new IllegalStateException("job refused: " + created.body());
      }
      long onTopic =
          BenchKafka.awaitRecords(
                  stack.kafkaBootstrap(), Topics.RUNS, runs + WARM_UP_JOBS, Duration.ofMinutes(15))
              - WARM_UP_JOBS;
      double seconds = Duration.between(posted, Instant.now()).toMillis() / 1000.0;
      Phases.mark("dispatch: measured dispatch");
      int payload = BenchKafka.sampleRecordSize(stack.kafkaBootstrap(), Topics.RUNS);
      double baseline = BenchKafka.plainProducerRate(stack.kafkaBootstrap(), runs, payload);
      Phases.mark("dispatch: plain producer baseline");
      figures.add(
          new Figure(
              "dispatch: POST of a "
                  + runs
                  + "-run job until every run.requested is on the topic ("
                  + onTopic
                  + " events of ~"
                  + payload
                  + " B)",
              onTopic / seconds,
              "events/s",
              "plain Kafka producer, same count and size, same broker",
              baseline,
              true));
      figures.add(
          Figure.alone(
              "dispatch: POST answer time of the "
                  + runs
                  + "-run job (after "
                  + WARM_UP_JOBS
                  + " one-run jobs warmed the services up)",
              answer.toMillis(),
              "ms"));
      figures.add(
          new Figure(
              "job-service heap peak during dispatch (-Xmx256m)",
              jobService.peakHeapMiB(),
              "MiB",
              "heap limit",
              256.0,
              false));
    } finally {
      Stops.later("dispatch", jobService, stack);
    }
  }

  private void throughputAndLatency() throws Exception {
    LocalStack stack = stack("throughput", 1);
    ChildJobService jobService = null;
    try {
      jobService = jobService(stack, "throughput");
      GridrunClient api = stack.client();
      // measured once, before any job: after the throughput job's cancel, its runs still ending
      // on the same cores slowed the processes run directly by several times
      long direct = directRunMillis(20);
      latency(api, direct);
      Phases.mark("latency: jobs and baseline");
      throughput(api, direct);
      Phases.mark("throughput: job, window and baseline");
      figures.add(
          new Figure(
              "job-service heap peak during throughput (-Xmx256m)",
              jobService.peakHeapMiB(),
              "MiB",
              "heap limit",
              256.0,
              false));
    } finally {
      Stops.later("throughput", jobService, stack);
    }
  }

  /**
   * One-run jobs one after the other, after {@link #LATENCY_WARM_UP_JOBS} not measured: the
   * services' first jobs after a stack's start run interpreted code (the quick run's five jobs had
   * a p95 of 3.8 s, all of it the first job), which a user meets once, not per job. On a quiet
   * machine a one-run job's median fell from 478 to 292 ms over its first 36 jobs (2026-12-02,
   * {@code ./gridrun local}, rounds of 12). Those jobs are reported as a fresh stack's. The JIT
   * goes on compiling for hundreds of runs more (session 20: p50 174 ms after 12 jobs, 170 ms after
   * a 200-run job as well, about 100 ms after 700 runs), so the figures are measured again after a
   * job of {@code latencyWarmUpRuns} runs, as on a stack that has been running jobs.
   */
  private void latency(GridrunClient api, long direct) throws Exception {
    for (int i = 0; i < LATENCY_WARM_UP_JOBS; i++) {
      String id =
          (String)
              api.post("/api/v1/jobs", BenchProject.job("latency-warm-up-" + i, 1))
                  .json()
                  .get("id");
      awaitEnd(api, id, Duration.ofMinutes(2));
    }
    Map<String, List<Long>> fresh = oneRunJobs(api, "latency-fresh-");
    for (int p : new int[] {50, 95}) {
      figures.add(
          latencyFigure(
              p,
              "job SUCCESS, a fresh stack (after " + LATENCY_WARM_UP_JOBS + " one-run jobs)",
              fresh.get("job SUCCESS"),
              direct));
    }
    Phases.mark("latency: a fresh stack's jobs");
    String warmUp =
        (String)
            api.post(
                    "/api/v1/jobs",
                    BenchProject.job("latency-warm-up", settings.latencyWarmUpRuns()))
                .json()
                .get("id");
    awaitEnd(api, warmUp, Duration.ofMinutes(2).plusSeconds(settings.latencyWarmUpRuns() / 5));
    Phases.mark("latency: a " + settings.latencyWarmUpRuns() + "-run warm-up job");
    Map<String, List<Long>> measured = oneRunJobs(api, "latency-");
    for (String until : List.of("first step started", "job SUCCESS")) {
      for (int p : new int[] {50, 95}) {
        figures.add(latencyFigure(p, until, measured.get(until), direct));
      }
    }
  }

  private static Figure latencyFigure(int p, String until, List<Long> millis, long direct) {
    return new Figure(
        "latency p" + p + ": POST of a one-run job → " + until,
        percentile(millis, p),
        "ms",
        "both steps run directly as processes",
        (double) direct,
        false);
  }

  /** {@code latencyJobs} one-run jobs one after the other: ms from each POST to each point. */
  private Map<String, List<Long>> oneRunJobs(GridrunClient api, String prefix) throws Exception {
    List<Long> toFirstStep = new ArrayList<>();
    List<Long> toSuccess = new ArrayList<>();
    for (int i = 0; i < settings.latencyJobs(); i++) {
      Instant posted = Instant.now();
      String id =
          (String) api.post("/api/v1/jobs", BenchProject.job(prefix + i, 1)).json().get("id");
      Map<String, Object> job = awaitEnd(api, id, Duration.ofMinutes(2));
      Map<String, Object> run = firstRun(api, id);
      @SuppressWarnings("unchecked")
      Map<String, Object> step = ((List<Map<String, Object>>) run.get("steps")).get(0);
      toFirstStep.add(
          Duration.between(posted, Instant.parse((String) step.get("startedAt"))).toMillis());
      toSuccess.add(
          Duration.between(posted, Instant.parse((String) job.get("finishedAt"))).toMillis());
    }
    return Map.of("first step started", toFirstStep, "job SUCCESS", toSuccess);
  }

  private void throughput(GridrunClient api, long direct) throws Exception {
    String id =
        (String)
            api.post("/api/v1/jobs", BenchProject.job("throughput", settings.throughputRuns()))
                .json()
                .get("id");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (successes(api, id) == 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    Phases.mark("throughput: first run succeeded");
    long before = successes(api, id);
    Instant start = Instant.now();
    Thread.sleep(settings.throughputWindow().toMillis());
    long after = successes(api, id);
    double minutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;
    api.post("/api/v1/jobs/" + id + "/cancel", "");
    figures.add(
        new Figure(
            "throughput: two-step runs (`true`), process executor, 1 runner, "
                + settings.throughputWindow().toSeconds()
                + " s",
            (after - before) / minutes,
            "runs/min",
            "the same two processes run back to back",
            60_000.0 / Math.max(1, direct),
            true));
  }

  @SuppressWarnings("unchecked")
  static long successes(GridrunClient api, String id) throws Exception {
    Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
    Object counts = job == null ? null : job.get("runCounts");
    return counts instanceof Map<?, ?> m && m.get("SUCCESS") instanceof Number n
        ? n.longValue()
        : 0;
  }

  /**
   * Waits for the job's end, asking four times a second. The figures are taken from the times the
   * services stamp (a step's start, the job's end), so asking more often would not make them finer;
   * it would only load the 2-core machine under test: asking every 10 ms kept the gateway and
   * job-service busy enough to double the one-run latency measured (2026-12-01, one-run jobs on
   * {@code ./gridrun local}: p50 675 ms asked every 10 ms, 304 ms asked every 200 ms).
   */
  static Map<String, Object> awaitEnd(GridrunClient api, String id, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
      if (job != null && List.of("SUCCESS", "FAILURE", "ABORTED").contains(job.get("status"))) {
        return job;
      }
      Thread.sleep(POLL.toMillis());
    }
    throw new IllegalStateException("job " + id + " did not end within " + timeout);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> firstRun(GridrunClient api, String id) throws Exception {
    return ((List<Map<String, Object>>) api.get("/api/v1/jobs/" + id + "/runs").json().get("items"))
        .get(0);
  }

  /** Average wall time of running `true` twice as processes, as a step pair would. */
  static long directRunMillis(int repeats) throws Exception {
    Instant start = Instant.now();
    for (int i = 0; i < repeats; i++) {
      for (int step = 0; step < 2; step++) {
        new ProcessBuilder("true").start().waitFor();
      }
    }
    return Math.max(1, Duration.between(start, Instant.now()).toMillis() / repeats);
  }

  static double percentile(List<Long> values, int p) {
    return Percentiles.of(values.stream().mapToDouble(Long::doubleValue).toArray(), p);
  }
}

package io.gridrun.job.application;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.application.InMemoryPorts.InMemoryCapacity;
import io.gridrun.job.application.InMemoryPorts.InMemoryJobs;
import io.gridrun.job.application.InMemoryPorts.InMemoryLeases;
import io.gridrun.job.application.InMemoryPorts.InMemoryParkedEvents;
import io.gridrun.job.application.InMemoryPorts.InMemoryRuns;
import io.gridrun.job.application.InMemoryPorts.InMemoryWaitingJobs;
import io.gridrun.job.application.InMemoryPorts.RecordingOutbox;
import io.gridrun.job.application.InMemoryPorts.RecordingStatus;
import io.gridrun.job.config.JobServiceProperties;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.metrics.JobMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * job-service's use cases over in-memory ports, driven event by event on the test's thread, with a
 * clock the test moves: what the end-to-end tests check, in milliseconds.
 */
final class UseCaseFixture {

  static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "train",
          Map.of("lr", 0.1),
          Map.of(),
          List.of(new StepDefinition("train", "train.sh", "busybox", null, null, null)));

  static final Map<String, PinnedEnvironment> ENVIRONMENTS =
      Map.of("busybox", new PinnedEnvironment("busybox", "busybox:test", "sha256:abc", Map.of()));

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    Instant now = T0;

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  final InMemoryJobs jobs = new InMemoryJobs();
  final InMemoryRuns runs = new InMemoryRuns();
  final InMemoryLeases leases = new InMemoryLeases();
  final InMemoryWaitingJobs waiting = new InMemoryWaitingJobs();
  final InMemoryParkedEvents parked = new InMemoryParkedEvents();
  final RecordingOutbox outbox = new RecordingOutbox();
  final RecordingStatus status = new RecordingStatus();
  final MovableClock clock = new MovableClock();
  final RunCapacity capacity;
  final JobEventRouter router;

  /** The use cases' ports, as the router and every use case built outside it see them. */
  final UseCaseContext context;

  UseCaseFixture() {
    this(RunCapacity.UNLIMITED, 3);
  }

  /** The runs-per-job limit of these tests' job-service: small, so that a test can reach it. */
  static final long MAX_RUNS_PER_JOB = 20;

  /** With a fleet cap ({@code RunCapacity.UNLIMITED} for none) and a maximum of attempts. */
  UseCaseFixture(RunCapacity capacity, int maxAttempts) {
    this(capacity, maxAttempts, null);
  }

  /** ... and a start deadline of requested runs (null: none). */
  UseCaseFixture(RunCapacity capacity, int maxAttempts, Duration startTimeout) {
    // small chunks, so that expansion and dispatch go round more than once
    this(capacity, maxAttempts, startTimeout, 2);
  }

  /** ... and chunks of {@code chunk} runs for expansion and dispatch. */
  UseCaseFixture(RunCapacity capacity, int maxAttempts, Duration startTimeout, int chunk) {
    this.capacity = capacity;
    JobServiceProperties properties =
        new JobServiceProperties(
            chunk,
            chunk,
            1,
            new JobServiceProperties.ScheduleSettings(
                Duration.ofSeconds(1), Duration.ofSeconds(60), 100),
            LEASE,
            Duration.ofSeconds(5),
            startTimeout,
            maxAttempts,
            Duration.ofSeconds(1),
            MAX_RUNS_PER_JOB,
            Duration.ofSeconds(10),
            Duration.ofMillis(250),
            0);
    this.context =
        new UseCaseContext(
            jobs,
            runs,
            leases,
            capacity,
            waiting,
            parked,
            outbox,
            status,
            properties,
            JobMetrics.none(),
            clock);
    this.router = new JobEventRouter(context);
  }

  static UseCaseFixture withFleetCap(int max) {
    return new UseCaseFixture(new InMemoryCapacity(max), 3);
  }

  /** The dispatch sweeps over this fixture's ports. */
  DispatchSweep sweep() {
    return new DispatchSweep(jobs, capacity, waiting, outbox, clock);
  }

  /** Handles the commands the outbox holds that were not handled yet. */
  void handleSentCommands() {
    List<JobControlRequested> commands = outbox.sent(JobControlRequested.class);
    commands.subList(handledCommands, commands.size()).forEach(this::handle);
    handledCommands = commands.size();
  }

  private int handledCommands;

  void handle(GridrunEvent event) {
    router.handle(event);
  }

  /** Handles the events as the listener handles what one poll returned. */
  void handleBatch(List<GridrunEvent> events) {
    try (JobEventRouter.Batch batch = router.openBatch()) {
      events.forEach(batch::apply);
    }
  }

  /** A job of {@code runs} runs ({@code lr} takes that many values). */
  JobCreated created(String jobId, int runs, Integer maxParallelRuns, JobOptions options) {
    List<Object> values = new java.util.ArrayList<>();
    for (int i = 0; i < runs; i++) {
      values.add(i / 10.0);
    }
    ParameterGrid grid = new ParameterGrid(Map.of("lr", values), Map.of());
    return new JobCreated(
        id(),
        jobId,
        T0,
        "sweep",
        "demo",
        "train.pipeline.json",
        grid,
        Map.of(),
        maxParallelRuns,
        options);
  }

  SnapshotCreated snapshot(String jobId) {
    return new SnapshotCreated(
        id(), jobId, T0, "s-" + jobId, "manifests/" + jobId, PIPELINE, ENVIRONMENTS);
  }

  /** Creates the job and its snapshot: its first runs are requested. */
  void start(String jobId, int runs, Integer maxParallelRuns, JobOptions options) {
    handle(created(jobId, runs, maxParallelRuns, options));
    handle(snapshot(jobId));
  }

  /** The events of a run that starts and ends with {@code outcome}, of its current attempt. */
  List<GridrunEvent> runEnds(String runId, ExecutionStatus outcome) {
    RunRecord run = run(runId);
    int attempt = run.attempt();
    Instant now = clock.instant();
    return List.of(
        new RunStarted(id(), run.jobId(), runId, now, attempt, "runner-1"),
        new StepStarted(id(), run.jobId(), runId, "train", now, attempt),
        new StepFinished(
            id(),
            run.jobId(),
            runId,
            "train",
            now,
            attempt,
            outcome,
            outcome == ExecutionStatus.SUCCESS ? 0 : 1,
            null,
            now,
            now,
            Map.of("loss", 0.5)));
  }

  void runEnds(String runId, ExecutionStatus outcome, int times) {
    List<GridrunEvent> events = runEnds(runId, outcome);
    for (int i = 0; i < times; i++) {
      events.forEach(this::handle);
    }
  }

  void control(String jobId, JobControlRequested.Action action) {
    handle(new JobControlRequested(id(), jobId, clock.instant(), action, null, null));
  }

  void fire(String jobId, Instant scheduledFor) {
    handle(
        new JobControlRequested(
            id(), jobId, clock.instant(), JobControlRequested.Action.FIRE, null, scheduledFor));
  }

  List<RunRequested> requests(String jobId) {
    return outbox.sent(RunRequested.class).stream().filter(r -> r.jobId().equals(jobId)).toList();
  }

  List<String> requestedRunIds(String jobId) {
    return requests(jobId).stream().map(RunRequested::runId).toList();
  }

  JobRecord job(String jobId) {
    return jobs.find(jobId).orElseThrow();
  }

  RunRecord run(String runId) {
    return runs.find(runId).orElseThrow();
  }

  static String runId(String jobId, long seq) {
    return RunRecord.idOf(jobId, seq);
  }

  static String id() {
    return UUID.randomUUID().toString();
  }
}

package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.Topics;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.platform.messaging.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Runs in flight: leases kept by heartbeats, lost attempts requested again, runs given up or
 * rejected by runners, and the fleet's run cap shared by jobs. Plays the runners by publishing
 * their events; moves the clock instead of waiting for leases to expire. A context of its own (its
 * broker, its database), because the cap and the lease timeout differ from the other tests'.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + JobServiceApplication.CONFIG_NAME,
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "gridrun.kafka.partitions=2",
      "gridrun.max-concurrent-runs=3",
      "gridrun.jobs.lease-timeout=30s",
      "gridrun.jobs.lease-check=200ms",
      "gridrun.jobs.dispatch-sweep=200ms",
      "gridrun.jobs.max-attempts=3"
    })
@EmbeddedKafka(partitions = 2)
@AutoConfigureWebTestClient
@org.springframework.context.annotation.Import(TestClock.Configuration.class)
class FlightIntegrationTest {

  private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static KafkaConsumer<String, String> consumer;
  private static final List<GridrunEvent> seen = new ArrayList<>();

  @Autowired EventPublisher publisher;
  @Autowired TestClock clock;
  @Autowired WebTestClient http;
  @Autowired RunCapacity capacity;

  private final List<String> jobs = new ArrayList<>();

  @DynamicPropertySource
  static void mongo(DynamicPropertyRegistry registry) {
    JobServiceTestBase.useMongo(registry, MONGO, "gridrun-flight");
  }

  @BeforeAll
  static void listen(@Autowired EmbeddedKafkaBroker broker) {
    consumer = JobServiceTestBase.fromTheStart(broker, Topics.RUNS, Topics.CONTROL);
  }

  @BeforeEach
  void patientClientAndAFreeFleet() {
    http = http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    await().atMost(WAIT).until(() -> capacity.free() == 3);
  }

  @AfterEach
  void cancelJobs() {
    for (String jobId : jobs) {
      http.post().uri("/api/v1/jobs/{id}/cancel", jobId).exchange();
    }
  }

  @Test
  void heartbeatsKeepALeaseAndASilentRunnersAttemptIsRequestedAgainAndFencedOff() {
    String jobId = startedJob();
    String runId = runId(jobId, 0);
    awaitRequests(jobId, 3);
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, clock.instant(), 1, "runner-a"));
    await().atMost(WAIT).until(() -> "STARTED".equals(run(runId).get("status")));

    // the runner keeps sending heartbeats: the lease moves with them
    advance(Duration.ofSeconds(20));
    publisher.publishAndWait(new RunHeartbeat(id(), jobId, runId, clock.instant(), 1, "runner-a"));
    advance(Duration.ofSeconds(20));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> requestsOf(jobId, runId).size() == 1);

    // then it goes silent
    advance(Duration.ofSeconds(31));
    await().atMost(WAIT).until(() -> requestsOf(jobId, runId).size() == 2);
    RunRequested again = requestsOf(jobId, runId).get(1);
    assertThat(again.attempt()).isEqualTo(2);
    assertThat(again.leaseTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(cancelsOf(runId)).containsExactly(1);
    Map<String, Object> run = run(runId);
    assertThat(run).containsEntry("status", "PENDING").containsEntry("attempt", 2);
    assertThat((String) run.get("reason"))
        .isEqualTo("attempt 1 lost: runner runner-a sent no heartbeat for PT30S");

    // the old runner, if it is still out there, is told to stop at its next sign of life,
    // and what it reports changes nothing
    publisher.publishAndWait(new RunHeartbeat(id(), jobId, runId, clock.instant(), 1, "runner-a"));
    await().atMost(WAIT).until(() -> cancelsOf(runId).size() == 2);
    publisher.publishAndWait(finished(jobId, runId, "prep", 1, ExecutionStatus.FAILURE));

    // the next attempt runs to the end
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, clock.instant(), 2, "runner-b"));
    publisher.publishAndWait(finished(jobId, runId, "prep", 2, ExecutionStatus.SUCCESS));
    publisher.publishAndWait(finished(jobId, runId, "train", 2, ExecutionStatus.SUCCESS));
    await().atMost(WAIT).until(() -> "SUCCESS".equals(run(runId).get("status")));
    assertThat(cancelsOf(runId)).containsExactly(1, 1);
  }

  @Test
  void aRunnerThatGivesARunUpHasItRequestedAgainAtOnceUntilNoAttemptsAreLeft() {
    String jobId = startedJob();
    String runId = runId(jobId, 1);
    awaitRequests(jobId, 3);

    for (int attempt = 1; attempt <= 2; attempt++) {
      publisher.publishAndWait(
          new RunStarted(id(), jobId, runId, clock.instant(), attempt, "runner-a"));
      publisher.publishAndWait(
          new RunAbandoned(
              id(), jobId, runId, clock.instant(), attempt, "runner-a", "shutting down"));
      int requests = attempt + 1;
      await().atMost(WAIT).until(() -> requestsOf(jobId, runId).size() == requests);
    }
    assertThat(requestsOf(jobId, runId)).extracting(RunRequested::attempt).containsExactly(1, 2, 3);

    publisher.publishAndWait(new RunStarted(id(), jobId, runId, clock.instant(), 3, "runner-a"));
    publisher.publishAndWait(
        new RunAbandoned(id(), jobId, runId, clock.instant(), 3, "runner-a", "shutting down"));

    await().atMost(WAIT).until(() -> "FAILURE".equals(run(runId).get("status")));
    assertThat((String) run(runId).get("reason"))
        .startsWith("lost its runner 3 times; the last time: runner runner-a gave attempt 3 up");
    assertThat(requestsOf(jobId, runId)).hasSize(3);
  }

  @Test
  void aRunTheRunnerRejectsFailsWithItsReasonAndFreesItsSlot() {
    String jobId = startedJob();
    String runId = runId(jobId, 2);
    awaitRequests(jobId, 3);

    publisher.publishAndWait(
        new RunRejected(
            id(), jobId, runId, clock.instant(), 1, "snapshot manifest abc is not in the store"));

    await().atMost(WAIT).until(() -> "FAILURE".equals(run(runId).get("status")));
    assertThat(run(runId))
        .containsEntry(
            "reason", "rejected by the runner: snapshot manifest abc is not in the store");
    // its slot went to the job's next run
    awaitRequests(jobId, 4);
  }

  @Test
  void aSecondRunnerExecutingTheSameAttemptIsToldToStandDownWhileTheFirstKeepsIt() {
    String jobId = startedJob();
    String runId = runId(jobId, 0);
    awaitRequests(jobId, 3);
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, clock.instant(), 1, "runner-a"));
    await().atMost(WAIT).until(() -> "STARTED".equals(run(runId).get("status")));

    // the request was delivered twice and runner-b took it too
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, clock.instant(), 1, "runner-b"));

    await().atMost(WAIT).until(() -> !cancellationsOf(runId).isEmpty());
    RunCancelRequested standDown = cancellationsOf(runId).get(0);
    assertThat(standDown.attempt()).isEqualTo(1);
    assertThat(standDown.runner()).isEqualTo("runner-b");
    // runner-a keeps the lease: its heartbeats carry it past the timeout, nothing is requested
    // again
    for (int beat = 0; beat < 3; beat++) {
      advance(Duration.ofSeconds(20));
      publisher.publishAndWait(
          new RunHeartbeat(id(), jobId, runId, clock.instant(), 1, "runner-a"));
    }
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> requestsOf(jobId, runId).size() == 1 && cancellationsOf(runId).size() == 1);
  }

  @Test
  void theFleetCapHoldsAcrossJobsWhichTakeTurnsAsRunsEnd() {
    String a = startedJob();
    awaitRequests(a, 3);
    String b = startedJob();
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> allRequestsOf(b).isEmpty() && allRequestsOf(a).size() == 3);
    assertThat(run(runId(b, 0))).containsEntry("status", "PENDING");

    // a's turn came first (it waited first): its run's slot goes to a's next run
    succeed(a, runId(a, 0));
    await().atMost(WAIT).until(() -> allRequestsOf(a).size() == 4);
    // then b's turn, although b's events are handled on another thread
    succeed(a, runId(a, 1));
    await().atMost(WAIT).until(() -> allRequestsOf(b).size() == 1);
    succeed(a, runId(a, 2));
    await().atMost(WAIT).until(() -> allRequestsOf(a).size() == 5);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(WAIT)
        .until(() -> allRequestsOf(a).size() + allRequestsOf(b).size() == 6);
    assertThat(capacity.free()).isZero();
  }

  // ---- helpers

  private String startedJob() {
    String jobId = JobServiceTestBase.newJobId();
    jobs.add(jobId);
    publisher.publishAndWait(JobServiceTestBase.jobCreated(jobId, null));
    publisher.publishAndWait(JobServiceTestBase.snapshotCreated(jobId));
    return jobId;
  }

  private void succeed(String jobId, String runId) {
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, clock.instant(), 1, "runner-a"));
    publisher.publishAndWait(finished(jobId, runId, "prep", 1, ExecutionStatus.SUCCESS));
    publisher.publishAndWait(finished(jobId, runId, "train", 1, ExecutionStatus.SUCCESS));
  }

  private StepFinished finished(
      String jobId, String runId, String step, int attempt, ExecutionStatus status) {
    Instant now = clock.instant();
    return new StepFinished(
        id(), jobId, runId, step, now, attempt, status, 0, null, now, now, Map.of());
  }

  private void advance(Duration by) {
    clock.advanceTo(clock.instant().plus(by));
  }

  private void awaitRequests(String jobId, int count) {
    await().atMost(WAIT).until(() -> allRequestsOf(jobId).size() >= count);
  }

  private static synchronized List<GridrunEvent> events() {
    consumer.poll(Duration.ofMillis(100)).forEach(r -> seen.add(EventCodec.decode(r.value())));
    return List.copyOf(seen);
  }

  private static List<RunRequested> allRequestsOf(String jobId) {
    return events().stream()
        .filter(e -> e instanceof RunRequested r && r.jobId().equals(jobId))
        .map(RunRequested.class::cast)
        .toList();
  }

  private static List<RunRequested> requestsOf(String jobId, String runId) {
    return allRequestsOf(jobId).stream().filter(r -> r.runId().equals(runId)).toList();
  }

  /** The attempts named by cancellations of the run, in order. */
  private static List<Integer> cancelsOf(String runId) {
    return cancellationsOf(runId).stream().map(RunCancelRequested::attempt).toList();
  }

  private static List<RunCancelRequested> cancellationsOf(String runId) {
    return events().stream()
        .filter(e -> e instanceof RunCancelRequested c && runId.equals(c.runId()))
        .map(RunCancelRequested.class::cast)
        .toList();
  }

  private Map<String, Object> run(String runId) {
    return http.get()
        .uri("/api/v1/runs/{id}", runId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(JobServiceTestBase.MAP)
        .returnResult()
        .getResponseBody();
  }

  private static String runId(String jobId, int seq) {
    return String.format("%s-r%07d", jobId, seq);
  }

  private static String id() {
    return UUID.randomUUID().toString();
  }
}

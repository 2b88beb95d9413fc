package io.gridrun.runner.messaging;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.event.Topics;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.runner.RunnerServiceApplication;
import io.gridrun.runner.TestRuns;
import io.gridrun.storage.blob.FileSystemBlobStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The service on an embedded Kafka broker with steps in real containers: a RunRequested on
 * gridrun.runs becomes RunStarted, StepStarted and StepFinished events on gridrun.execution, keyed
 * by job id. One slot, so the second test also shows the consumer pausing while the slot is busy.
 */
@SpringBootTest(
    classes = RunnerServiceApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=runner-service",
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "gridrun.kafka.partitions=2",
      "gridrun.runner.executor=docker",
      "gridrun.runner.slots=1",
      "gridrun.runner.id=it-runner"
    })
@EmbeddedKafka(partitions = 2)
@AutoConfigureWebTestClient(timeout = "30s") // a cold context on a loaded machine
class RunnerServiceIntegrationTest {

  static final Path HOME;

  static {
    try {
      HOME = Files.createTempDirectory("gridrun-runner-it");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static KafkaConsumer<String, String> execution;
  static final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

  @Autowired EventPublisher publisher;
  @Autowired org.springframework.kafka.core.KafkaTemplate<String, String> kafka;
  @Autowired KafkaListenerEndpointRegistry registry;
  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void storage(DynamicPropertyRegistry registry) {
    registry.add("gridrun.storage.blobs", () -> HOME.resolve("blobs").toString());
    registry.add("gridrun.storage.logs", () -> HOME.resolve("logs").toString());
    registry.add("gridrun.storage.data", () -> HOME.resolve("data").toString());
    registry.add("gridrun.runner.work-dir", () -> HOME.resolve("work").toString());
  }

  @BeforeAll
  static void listen(@Autowired EmbeddedKafkaBroker broker) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    execution = new KafkaConsumer<>(props);
    execution.subscribe(List.of(Topics.EXECUTION, Topics.deadLetterOf(Topics.RUNS)));
  }

  @AfterAll
  static void stop() throws IOException {
    execution.close();
    try (var paths = Files.walk(HOME)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Events of the job seen so far on gridrun.execution; asserts each is keyed by the job id. */
  private static List<GridrunEvent> eventsOf(String jobId) {
    execution.poll(Duration.ofMillis(200)).forEach(seen::add);
    List<GridrunEvent> events = new ArrayList<>();
    for (ConsumerRecord<String, String> record : seen) {
      if (!record.topic().equals(Topics.EXECUTION)) {
        continue;
      }
      GridrunEvent event = EventCodec.decode(record.value());
      if (event.jobId().equals(jobId)) {
        assertThat(record.key()).isEqualTo(jobId);
        events.add(event);
      }
    }
    return events;
  }

  private static StepFinished finished(List<GridrunEvent> events, String step) {
    return events.stream()
        .filter(e -> e instanceof StepFinished f && f.stepId().equals(step))
        .map(StepFinished.class::cast)
        .findFirst()
        .orElseThrow();
  }

  private RunRequested request(String jobId, Map<String, String> files, TestRunsPipeline p) {
    String manifest = TestRuns.snapshot(new FileSystemBlobStore(HOME.resolve("blobs")), files);
    return TestRuns.run(
        jobId, manifest, p.get(), TestRuns.IMAGE, new RunParameters(Map.of(), Map.of()), Map.of());
  }

  private interface TestRunsPipeline {
    io.gridrun.common.pipeline.PipelineDefinition get();
  }

  @Test
  void executesARequestedRunAndPublishesItsEventsKeyedByJob() {
    String jobId = "j-it-" + UUID.randomUUID().toString().substring(0, 8);
    RunRequested run =
        request(
            jobId,
            Map.of(
                "prep.sh", "echo prepared > prepared.txt\n",
                "train.sh", "cat prepared.txt; exit 3\n",
                "evaluate.sh", "true\n",
                "stats.sh", "cat prepared.txt\n"),
            () ->
                pipeline(
                    step("prep"),
                    step("train", "prep"),
                    step("evaluate", "train"),
                    step("stats", "prep")));

    publisher.publishAndWait(run);

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> eventsOf(jobId).stream().filter(StepFinished.class::isInstance).count() == 4);
    List<GridrunEvent> events = eventsOf(jobId);
    RunStarted started = (RunStarted) events.get(0);
    assertThat(started.runId()).isEqualTo(run.runId());
    assertThat(started.runner()).isEqualTo("it-runner");
    assertThat(started.executor()).isEqualTo("docker");
    assertThat(started.attempt()).isEqualTo(1);
    assertThat(
            events.stream()
                .filter(StepStarted.class::isInstance)
                .map(e -> ((StepStarted) e).stepId()))
        .containsExactlyInAnyOrder("prep", "train", "stats");
    assertThat(finished(events, "prep").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(finished(events, "stats").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(finished(events, "train").status()).isEqualTo(ExecutionStatus.FAILURE);
    assertThat(finished(events, "train").reason()).isEqualTo("exit code 3");
    assertThat(finished(events, "evaluate").status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(finished(events, "evaluate").reason()).isEqualTo("upstream step failed");
    assertThat(HOME.resolve("logs").resolve(run.runId()).resolve("stats.log"))
        .hasContent("prepared");
  }

  @Test
  void pausesTakingRunsWhileNoSlotIsFreeAndResumesWhenOneFrees() throws Exception {
    String first = "j-slot-a-" + UUID.randomUUID().toString().substring(0, 8);
    String second = "j-slot-b-" + UUID.randomUUID().toString().substring(0, 8);
    Path release = HOME.resolve("data").resolve("release-" + first);
    publisher.publishAndWait(
        request(
            first,
            Map.of("hold.sh", "while [ ! -f /data/release-" + first + " ]; do sleep 1; done\n"),
            () -> pipeline(step("hold"))));
    publisher.publishAndWait(
        request(second, Map.of("quick.sh", "true\n"), () -> pipeline(step("quick"))));
    var container = registry.getListenerContainer(RunRequestListener.ID);

    await().atMost(Duration.ofSeconds(30)).until(() -> !eventsOf(first).isEmpty());
    await().atMost(Duration.ofSeconds(10)).until(container::isPauseRequested);
    // while the only slot is busy, the second run stays on Kafka
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> eventsOf(second).isEmpty());

    Files.writeString(release, "go");

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> eventsOf(second).stream().anyMatch(StepFinished.class::isInstance));
    assertThat(finished(eventsOf(first), "hold").status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(finished(eventsOf(second), "quick").status()).isEqualTo(ExecutionStatus.SUCCESS);
    await().atMost(Duration.ofSeconds(10)).until(() -> !container.isPauseRequested());
  }

  @Test
  void aRequestNoRunnerCanExecuteIsRejectedWithItsReasonAndParkedOnTheDeadLetterTopic() {
    String jobId = "j-poison-" + UUID.randomUUID().toString().substring(0, 8);
    RunRequested cyclic =
        request(
            jobId,
            Map.of("a.sh", "true\n", "b.sh", "true\n"),
            () -> pipeline(step("a", "b"), step("b", "a")));

    publisher.publishAndWait(cyclic);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> eventsOf(jobId).stream().anyMatch(RunRejected.class::isInstance));
    RunRejected rejected = (RunRejected) eventsOf(jobId).get(0);
    assertThat(rejected.runId()).isEqualTo(cyclic.runId());
    assertThat(rejected.attempt()).isEqualTo(1);
    assertThat(rejected.reason()).contains("invalid pipeline");
    assertThat(eventsOf(jobId)).hasSize(1); // nothing was executed
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        r ->
                            r.topic().equals(Topics.deadLetterOf(Topics.RUNS))
                                && r.value().contains(cyclic.runId())));
    // the partition is not blocked: the next request runs
    RunRequested next =
        request(jobId + "-next", Map.of("ok.sh", "true\n"), () -> pipeline(step("ok")));
    publisher.publishAndWait(next);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> eventsOf(jobId + "-next").stream().anyMatch(StepFinished.class::isInstance));
  }

  @Test
  void aRequestThatCannotBeReadButNamesItsRunIsRejectedSoTheRunDoesNotWaitForever()
      throws Exception {
    String jobId = "j-unread-" + UUID.randomUUID().toString().substring(0, 8);
    String runId = jobId + "-r0000000";
    String unreadable =
        "{\"type\":\"run.requested\",\"eventId\":\"e-unread\",\"jobId\":\""
            + jobId
            + "\",\"at\":\"2026-11-30T10:00:00Z\",\"runId\":\""
            + runId
            + "\",\"attempt\":2,\"index\":{\"not\":\"a number\"}}";

    kafka.send(Topics.RUNS, runId, unreadable).get(30, java.util.concurrent.TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> eventsOf(jobId).stream().anyMatch(RunRejected.class::isInstance));
    RunRejected rejected = (RunRejected) eventsOf(jobId).get(0);
    assertThat(rejected.runId()).isEqualTo(runId);
    assertThat(rejected.attempt()).isEqualTo(2);
    assertThat(rejected.reason()).startsWith("the run request could not be read");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                seen.stream()
                    .anyMatch(
                        r ->
                            r.topic().equals(Topics.deadLetterOf(Topics.RUNS))
                                && r.value().contains("e-unread")));
  }

  @Test
  void anAttemptSendsHeartbeatsWhileItRunsAndStopsWhenJobServiceCancelsThatAttempt() {
    String jobId = "j-beat-" + UUID.randomUUID().toString().substring(0, 8);
    RunRequested run =
        TestRuns.attempt(
            request(jobId, Map.of("hold.sh", "sleep 120\n"), () -> pipeline(step("hold"))),
            2,
            Duration.ofSeconds(3)); // a heartbeat a second

    publisher.publishAndWait(run);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> eventsOf(jobId).stream().filter(RunHeartbeat.class::isInstance).count() >= 3);
    RunHeartbeat beat =
        (RunHeartbeat)
            eventsOf(jobId).stream().filter(RunHeartbeat.class::isInstance).findFirst().get();
    assertThat(beat.attempt()).isEqualTo(2);
    assertThat(beat.runner()).isEqualTo("it-runner");

    // cancelling another attempt of the run changes nothing
    publisher.publishAndWait(
        new RunCancelRequested("c1", jobId, run.runId(), java.time.Instant.now(), 1));
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> eventsOf(jobId).stream().noneMatch(StepFinished.class::isInstance));

    publisher.publishAndWait(
        new RunCancelRequested("c2", jobId, run.runId(), java.time.Instant.now(), 2));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> eventsOf(jobId).stream().anyMatch(StepFinished.class::isInstance));
    assertThat(finished(eventsOf(jobId), "hold").status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(finished(eventsOf(jobId), "hold").attempt()).isEqualTo(2);
    long beats = eventsOf(jobId).stream().filter(RunHeartbeat.class::isInstance).count();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> eventsOf(jobId).stream().filter(RunHeartbeat.class::isInstance).count() == beats);
  }

  @Test
  void exposesHealthAndPrometheusMetrics() {
    web.get().uri("/actuator/health").exchange().expectStatus().isOk();
    web.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("gridrun_runner_slots_busy"));
  }
}

package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.event.Topics;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.platform.messaging.EventPublisher;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * job-service as a whole on an embedded Kafka broker and a MongoDB protocol server, with a clock
 * tests can move forward; one Spring context serves every test class extending this one.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + JobServiceApplication.CONFIG_NAME,
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "gridrun.kafka.partitions=2",
      "gridrun.jobs.schedule.tick=200ms",
      // these tests move the clock by hours and play runners that never send heartbeats
      "gridrun.jobs.lease-timeout=3650d"
    })
@EmbeddedKafka(partitions = 2)
@AutoConfigureWebTestClient
@org.springframework.context.annotation.Import(TestClock.Configuration.class)
abstract class JobServiceTestBase {

  private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
  protected static final Duration WAIT = Duration.ofSeconds(30);

  protected static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "train",
          Map.of("lr", 0.1),
          Map.of("MODE", "fast"),
          List.of(
              new StepDefinition("prep", "prep.sh", "busybox", null, null, null),
              new StepDefinition(
                  "train", "train.sh", "busybox", List.of("prep"), Map.of("epochs", 5), null)));

  protected static final Map<String, PinnedEnvironment> ENVIRONMENTS =
      Map.of(
          "busybox",
          new PinnedEnvironment(
              "busybox", "gridrun/busybox:test", "sha256:abc", Map.of("TOOL", "bb")));

  /** A requested run as it arrived: its record key and the event. */
  protected record Requested(String key, RunRequested event) {}

  protected static KafkaConsumer<String, String> runsTopic;
  protected static final List<Requested> requested = new CopyOnWriteArrayList<>();

  @Autowired protected WebTestClient http;
  @Autowired protected TestClock clock;
  @Autowired protected EventPublisher publisher;

  /**
   * This context's broker. Not {@code spring.embedded.kafka.brokers}: that system property names
   * whichever embedded broker started last, which may belong to another test context.
   */
  @Autowired protected EmbeddedKafkaBroker broker;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    useMongo(registry, MONGO, "gridrun-jobs");
  }

  /** Points the context at a database of this in-memory MongoDB server, started on first use. */
  static void useMongo(DynamicPropertyRegistry registry, MongoServer mongo, String database) {
    if (mongo.getLocalAddress() == null) {
      mongo.bind("127.0.0.1", 0);
    }
    registry.add(
        "spring.mongodb.uri",
        () -> "mongodb://localhost:" + mongo.getLocalAddress().getPort() + "/" + database);
  }

  @BeforeAll
  static synchronized void listen(@Autowired EmbeddedKafkaBroker broker) {
    if (runsTopic != null) {
      return; // one consumer for every test class sharing the context
    }
    runsTopic = fromTheStart(broker, Topics.RUNS);
  }

  /** A consumer of its own group that reads the topics from their start. */
  static KafkaConsumer<String, String> fromTheStart(EmbeddedKafkaBroker broker, String... topics) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of(topics));
    return consumer;
  }

  @org.junit.jupiter.api.BeforeEach
  void patientClient() {
    // two cores shared with a broker and other builds: a first request may take a while
    http = http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
  }

  // ---- helpers

  protected static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>>
      MAP = new org.springframework.core.ParameterizedTypeReference<>() {};

  protected void runSucceeds(String jobId, String runId, double loss) {
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, at(0), 1, "runner-1"));
    publisher.publishAndWait(new StepStarted(id(), jobId, runId, "prep", at(1), 1));
    publisher.publishAndWait(
        stepFinished(jobId, runId, "prep", ExecutionStatus.SUCCESS, 0, null, Map.of()));
    publisher.publishAndWait(new StepStarted(id(), jobId, runId, "train", at(3), 1));
    publisher.publishAndWait(
        stepFinished(
            jobId, runId, "train", ExecutionStatus.SUCCESS, 0, null, Map.of("loss", loss)));
  }

  protected static StepFinished stepFinished(
      String jobId,
      String runId,
      String stepId,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Map<String, Object> metrics) {
    Instant started = stepId.equals("prep") ? at(1) : at(3);
    return new StepFinished(
        id(),
        jobId,
        runId,
        stepId,
        started.plusSeconds(1),
        1,
        status,
        exitCode,
        reason,
        started,
        started.plusSeconds(1),
        metrics);
  }

  protected static JobCreated jobCreated(String jobId, Integer maxParallelRuns) {
    return jobCreated(jobId, maxParallelRuns, null);
  }

  protected static JobCreated jobCreated(
      String jobId, Integer maxParallelRuns, io.gridrun.common.job.JobOptions options) {
    Map<String, List<Object>> pipeline = new LinkedHashMap<>();
    pipeline.put("lr", List.of(0.1, 0.01));
    ParameterGrid grid =
        new ParameterGrid(pipeline, Map.of("train", Map.of("epochs", List.of(1, 2, 3))));
    return new JobCreated(
        id(),
        jobId,
        at(0),
        "lr-sweep",
        "demo",
        "train.pipeline.json",
        grid,
        Map.of("MODE", "full"),
        maxParallelRuns,
        options);
  }

  protected static SnapshotCreated snapshotCreated(String jobId) {
    return new SnapshotCreated(
        id(), jobId, at(0), "s-" + jobId, "manifests/" + jobId, PIPELINE, ENVIRONMENTS);
  }

  /** Waits until at least {@code count} runs of the job were requested; returns them in order. */
  protected static List<Requested> awaitRequests(String jobId, int count) {
    await().atMost(WAIT).until(() -> requestsOf(jobId).size() >= count);
    return requestsOf(jobId);
  }

  /** Gives a wrongly dispatched request time to show up, then checks there is none. */
  protected static void assertNoMoreRequestsThan(String jobId, int count) {
    long until = System.currentTimeMillis() + 1_000;
    while (System.currentTimeMillis() < until) {
      assertThat(requestsOf(jobId)).hasSize(count);
    }
  }

  protected static synchronized List<Requested> requestsOf(String jobId) {
    runsTopic
        .poll(Duration.ofMillis(100))
        .forEach(
            record ->
                requested.add(
                    new Requested(record.key(), (RunRequested) EventCodec.decode(record.value()))));
    return requested.stream()
        .filter(r -> r.event().jobId().equals(jobId))
        .sorted(java.util.Comparator.comparing(Requested::key))
        .toList();
  }

  protected Map<String, Object> job(String jobId) {
    return http.get()
        .uri("/api/v1/jobs/{id}", jobId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  protected boolean exists(String jobId) {
    return http.get()
        .uri("/api/v1/jobs/{id}", jobId)
        .exchange()
        .returnResult(String.class)
        .getStatus()
        .is2xxSuccessful();
  }

  protected Map<String, Object> run(String runId) {
    return http.get()
        .uri("/api/v1/runs/{id}", runId)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(MAP)
        .returnResult()
        .getResponseBody();
  }

  @SuppressWarnings("unchecked")
  protected static List<Map<String, Object>> steps(Map<String, Object> run) {
    return (List<Map<String, Object>>) run.get("steps");
  }

  @SuppressWarnings("unchecked")
  protected static List<Map<String, Object>> items(Map<String, Object> page) {
    return (List<Map<String, Object>>) page.get("items");
  }

  protected static Map<String, Object> counts(
      int pending, int started, int success, int failure, int aborted) {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("PENDING", pending);
    counts.put("STARTED", started);
    counts.put("SUCCESS", success);
    counts.put("FAILURE", failure);
    counts.put("ABORTED", aborted);
    return counts;
  }

  protected static List<String> runIds(String jobId, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(String.format("%s-r%07d", jobId, i));
    }
    return ids;
  }

  protected static String newJobId() {
    return "j-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  protected static String id() {
    return UUID.randomUUID().toString();
  }

  protected static Instant at(int seconds) {
    return Instant.parse("2026-11-25T06:00:00Z").plusSeconds(seconds);
  }
}

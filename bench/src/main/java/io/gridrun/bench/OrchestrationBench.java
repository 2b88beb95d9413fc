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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

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
      Path workDir) {}

  private static final int WARM_UP_JOBS = 3;

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
    return LocalStack.infrastructure(
        new StackSettings(home, home.resolve("projects"), home.resolve("data"), 0, 0, false, false)
            .withRunners(runners));
  }

  private void dispatch() throws Exception {
    long runs = settings.dispatchRuns();
    try (LocalStack stack = stack("dispatch", 0);
        ChildJobService jobService =
            ChildJobService.start(
                stack.kafkaBootstrap(),
                stack.mongoUri("gridrun-jobs"),
                "256m",
                settings.workDir().resolve("dispatch-job-service.log"))) {
      stack.withServices(jobService.url());
      GridrunClient api = stack.client();
      BenchProject.create(stack.settings().projectsRoot(), api);
      // a running service answers warm: a few one-run jobs first, their requests on the topic
      for (int i = 0; i < WARM_UP_JOBS; i++) {
        api.post("/api/v1/jobs", BenchProject.job("warm-up-" + i, 1));
      }
      awaitRecords(stack.kafkaBootstrap(), Topics.RUNS, WARM_UP_JOBS, Duration.ofMinutes(2));
      Instant posted = Instant.now();
      GridrunClient.Answer created = api.post("/api/v1/jobs", BenchProject.job("dispatch", runs));
      Duration answer = Duration.between(posted, Instant.now());
      if (created.status() != 202) {
        throw new IllegalStateException("job refused: " + created.body());
      }
      long onTopic =
          awaitRecords(
                  stack.kafkaBootstrap(), Topics.RUNS, runs + WARM_UP_JOBS, Duration.ofMinutes(15))
              - WARM_UP_JOBS;
      double seconds = Duration.between(posted, Instant.now()).toMillis() / 1000.0;
      int payload = sampleRecordSize(stack.kafkaBootstrap(), Topics.RUNS);
      double baseline = plainProducerRate(stack.kafkaBootstrap(), runs, payload);
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
    }
  }

  private void throughputAndLatency() throws Exception {
    try (LocalStack stack = stack("throughput", 1);
        ChildJobService jobService =
            ChildJobService.start(
                stack.kafkaBootstrap(),
                stack.mongoUri("gridrun-jobs"),
                "256m",
                settings.workDir().resolve("throughput-job-service.log"))) {
      stack.withServices(jobService.url());
      GridrunClient api = stack.client();
      BenchProject.create(stack.settings().projectsRoot(), api);
      latency(api);
      throughput(api);
      figures.add(
          new Figure(
              "job-service heap peak during throughput (-Xmx256m)",
              jobService.peakHeapMiB(),
              "MiB",
              "heap limit",
              256.0,
              false));
    }
  }

  private void latency(GridrunClient api) throws Exception {
    List<Long> toFirstStep = new ArrayList<>();
    List<Long> toSuccess = new ArrayList<>();
    for (int i = 0; i < settings.latencyJobs(); i++) {
      Instant posted = Instant.now();
      String id =
          (String) api.post("/api/v1/jobs", BenchProject.job("latency-" + i, 1)).json().get("id");
      Map<String, Object> job = awaitEnd(api, id, Duration.ofMinutes(2));
      Map<String, Object> run = firstRun(api, id);
      @SuppressWarnings("unchecked")
      Map<String, Object> step = ((List<Map<String, Object>>) run.get("steps")).get(0);
      toFirstStep.add(
          Duration.between(posted, Instant.parse((String) step.get("startedAt"))).toMillis());
      toSuccess.add(
          Duration.between(posted, Instant.parse((String) job.get("finishedAt"))).toMillis());
    }
    long direct = directRunMillis(Math.max(5, settings.latencyJobs()));
    figures.add(
        new Figure(
            "latency p50: POST of a one-run job → first step started",
            percentile(toFirstStep, 50),
            "ms",
            "both steps run directly as processes",
            (double) direct,
            false));
    figures.add(
        new Figure(
            "latency p95: POST of a one-run job → first step started",
            percentile(toFirstStep, 95),
            "ms",
            "both steps run directly as processes",
            (double) direct,
            false));
    figures.add(
        new Figure(
            "latency p50: POST of a one-run job → job SUCCESS",
            percentile(toSuccess, 50),
            "ms",
            "both steps run directly as processes",
            (double) direct,
            false));
    figures.add(
        new Figure(
            "latency p95: POST of a one-run job → job SUCCESS",
            percentile(toSuccess, 95),
            "ms",
            "both steps run directly as processes",
            (double) direct,
            false));
  }

  private void throughput(GridrunClient api) throws Exception {
    String id =
        (String)
            api.post("/api/v1/jobs", BenchProject.job("throughput", settings.throughputRuns()))
                .json()
                .get("id");
    Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
    while (successes(api, id) == 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(100);
    }
    long before = successes(api, id);
    Instant start = Instant.now();
    Thread.sleep(settings.throughputWindow().toMillis());
    long after = successes(api, id);
    double minutes = Duration.between(start, Instant.now()).toMillis() / 60_000.0;
    api.post("/api/v1/jobs/" + id + "/cancel", "");
    long direct = directRunMillis(20);
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

  static Map<String, Object> awaitEnd(GridrunClient api, String id, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      Map<String, Object> job = api.get("/api/v1/jobs/" + id).json();
      if (job != null && List.of("SUCCESS", "FAILURE", "ABORTED").contains(job.get("status"))) {
        return job;
      }
      Thread.sleep(20);
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
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static Properties clientProps(String bootstrap) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    return props;
  }

  static long awaitRecords(String bootstrap, String topic, long expected, Duration timeout)
      throws InterruptedException {
    Properties props = clientProps(bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      Instant deadline = Instant.now().plus(timeout);
      long total = 0;
      while (Instant.now().isBefore(deadline)) {
        total = consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        if (total >= expected) {
          return total;
        }
        Thread.sleep(50);
      }
      throw new IllegalStateException("only " + total + " of " + expected + " records on " + topic);
    }
  }

  private static int sampleRecordSize(String bootstrap, String topic) {
    Properties props = clientProps(bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      for (int i = 0; i < 50; i++) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          return record.value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
      }
    }
    throw new IllegalStateException("no record on " + topic);
  }

  /** Events/s of a plain producer sending {@code count} records of {@code size} bytes. */
  static double plainProducerRate(String bootstrap, long count, int size) throws Exception {
    String topic = "bench.baseline";
    int partitions = 6;
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
    Properties props = clientProps(bootstrap);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    String payload = "x".repeat(size);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      // A new topic's partitions get their leaders on the broker a moment after it is created;
      // records sent before then fail, are retried, and with idempotence can end in a storm of
      // out-of-order-sequence errors that has nothing to do with the producer's speed. One record
      // per partition, each acknowledged, before the clock starts.
      warmUp(producer, topic, partitions);
      Instant start = Instant.now();
      for (long i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, "run-" + i, payload));
      }
      producer.flush();
      double seconds = Math.max(0.001, Duration.between(start, Instant.now()).toMillis() / 1000.0);
      return count / seconds;
    }
  }

  private static void warmUp(KafkaProducer<String, String> producer, String topic, int partitions)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    for (int partition = 0; partition < partitions; partition++) {
      while (true) {
        try {
          producer.send(new ProducerRecord<>(topic, partition, "warm-up", "")).get();
          break;
        } catch (java.util.concurrent.ExecutionException e) {
          if (Instant.now().isAfter(deadline)) {
            throw new IllegalStateException("partition " + partition + " of " + topic, e);
          }
          Thread.sleep(100);
        }
      }
    }
  }
}

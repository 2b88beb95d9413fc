package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets through the whole stack: a job's and an environment's secrets reach the step's
 * environment (the step writes them to {@code /data}), while every API view, the event stream,
 * every Kafka topic's bytes and the step's log hold them only sealed or as {@code ••••}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecretsEndToEndTest {

  private static final String IMAGE = "gridrun/busybox:test";
  private static final String JOB_SECRET = "job-s3cret-7f1e9a";
  private static final String ENV_SECRET = "env-s3cret-c4d2b8";

  @TempDir static Path home;
  private LocalStack stack;
  private GridrunClient api;

  @BeforeAll
  void startStack() throws Exception {
    DockerProbe docker = new DockerProbe(DockerProbe.DEFAULT_SOCKET);
    stack =
        LocalStack.start(
            new StackSettings(
                home,
                home.resolve("projects"),
                home.resolve("data"),
                0,
                0,
                false,
                docker.engineAnswers() && docker.imageExists(IMAGE)));
    api = stack.client();
    Path project = Files.createDirectories(home.resolve("projects/sec"));
    Files.writeString(
        project.resolve("p.pipeline.json"),
        """
        {"steps": [{"id": "use", "file": "use.sh", "environment": "sec-env"}]}
        """);
    Files.writeString(
        project.resolve("use.sh"),
        """
        set -e
        printf '%s|%s|%s' "$API_KEY" "$ENV_KEY" "$PLAIN" > "$GRIDRUN_DATA/seen-$GRIDRUN_RUN_ID"
        echo "the key is $API_KEY, the other $ENV_KEY"
        """);
  }

  @AfterAll
  void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theStepGetsTheSecretsAndNoViewEventTopicOrLogHoldsTheirValues() throws Exception {
    assertThat(Files.getPosixFilePermissions(home.resolve("secret.key")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    GridrunClient.Answer environment =
        api.put(
            "/api/v1/environments/sec-env",
            "{\"image\": \""
                + IMAGE
                + "\", \"env\": {\"PLAIN\": \"plain-value\"},"
                + " \"secrets\": {\"ENV_KEY\": \""
                + ENV_SECRET
                + "\"}}");
    assertThat(environment.status()).as(environment.body()).isEqualTo(200);
    assertThat(environment.json().get("secrets")).isEqualTo(Map.of("ENV_KEY", "••••"));
    assertThat(environment.json().get("env")).isEqualTo(Map.of("PLAIN", "plain-value"));

    GridrunClient.Answer created =
        api.post(
            "/api/v1/jobs",
            """
            {"name": "sec", "project": "sec", "pipeline": "p.pipeline.json",
             "env": {"MODE": "m"}, "secrets": {"API_KEY": "%s"}}
            """
                .formatted(JOB_SECRET));
    assertThat(created.status()).as(created.body()).isEqualTo(202);
    String job = (String) created.json().get("id");
    await()
        .atMost(Duration.ofMinutes(3))
        .until(() -> "SUCCESS".equals(api.get("/api/v1/jobs/" + job).json().get("status")));
    String run = job + "-r0000000";

    assertThat(Files.readString(home.resolve("data/seen-" + run)))
        .isEqualTo(JOB_SECRET + "|" + ENV_SECRET + "|plain-value");

    GridrunClient.Answer jobView = api.get("/api/v1/jobs/" + job);
    assertThat(jobView.json().get("secrets")).isEqualTo(Map.of("API_KEY", "••••"));
    assertThat(jobView.json().get("env")).isEqualTo(Map.of("MODE", "m"));
    List<String> views = new ArrayList<>();
    for (String path :
        List.of(
            "/api/v1/jobs/" + job,
            "/api/v1/jobs?size=50",
            "/api/v1/jobs/" + job + "/runs",
            "/api/v1/runs/" + run,
            "/api/v1/environments/sec-env",
            "/api/v1/environments",
            "/api/v1/snapshots/" + jobView.json().get("snapshotId"))) {
      GridrunClient.Answer answer = api.get(path);
      assertThat(answer.status()).as(path).isEqualTo(200);
      views.add(answer.body());
    }
    assertThat(String.join("\n", views))
        .doesNotContain(JOB_SECRET)
        .doesNotContain(ENV_SECRET)
        .doesNotContain("gridrun:sealed:");

    GridrunClient.Answer log = api.get("/api/v1/runs/" + run + "/steps/use/logs");
    assertThat(log.body())
        .contains("the key is ••••, the other ••••")
        .doesNotContain(JOB_SECRET)
        .doesNotContain(ENV_SECRET);

    String events = eventStream(job);
    assertThat(events).contains("SUCCESS").doesNotContain(JOB_SECRET).doesNotContain(ENV_SECRET);

    String topics = everyTopic();
    assertThat(topics).contains("gridrun:sealed:v1:");
    assertThat(topics).doesNotContain(JOB_SECRET).doesNotContain(ENV_SECRET);
  }

  @Test
  void sealedLookingValuesAndMalformedSecretsAreRefused() throws Exception {
    GridrunClient.Answer forged =
        api.post(
            "/api/v1/jobs",
            """
            {"name": "x", "project": "sec", "pipeline": "p.pipeline.json",
             "env": {"API_KEY": "gridrun:sealed:v1:AAAA"}}
            """);
    assertThat(forged.status()).isEqualTo(400);
    assertThat(forged.body()).contains("gridrun:sealed:v1:").contains("secrets");
    GridrunClient.Answer badName =
        api.post(
            "/api/v1/jobs",
            """
            {"name": "x", "project": "sec", "pipeline": "p.pipeline.json",
             "secrets": {"1BAD": "v", "OK": {"a": 1}}}
            """);
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.body())
        .contains("'1BAD' is not a valid variable name")
        .contains("secrets.OK must be a string");
  }

  /** The job's server-sent events from the start of the status topic up to its final status. */
  private String eventStream(String job) throws Exception {
    String start = String.join(".", java.util.Collections.nCopies(statusPartitions(), "0"));
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    stack.gatewayUrl() + "/api/v1/events?job=" + job + "&lastEventId=" + start))
            .header("Authorization", "Bearer " + stack.token())
            .timeout(Duration.ofSeconds(30))
            .build();
    HttpResponse<java.io.InputStream> response =
        HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    StringBuilder text = new StringBuilder();
    Instant deadline = Instant.now().plusSeconds(30);
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while (Instant.now().isBefore(deadline) && (line = reader.readLine()) != null) {
        text.append(line).append('\n');
        if (line.startsWith("data:") && line.contains("job.status") && line.contains("SUCCESS")) {
          break;
        }
      }
    }
    return text.toString();
  }

  private int statusPartitions() {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
      return consumer.partitionsFor("gridrun.status").size();
    }
  }

  private Properties consumerProperties() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  /** Every record of every topic on the broker, keys and values, as text. */
  private String everyTopic() {
    StringBuilder text = new StringBuilder();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .listTopics()
          .forEach(
              (topic, infos) ->
                  infos.forEach(p -> partitions.add(new TopicPartition(topic, p.partition()))));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key() != null) {
            text.append(new String(record.key(), StandardCharsets.UTF_8));
          }
          if (record.value() != null) {
            text.append(new String(record.value(), StandardCharsets.UTF_8)).append('\n');
          }
        }
      }
    }
    return text.toString();
  }
}

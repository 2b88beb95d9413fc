package io.gridrun.snapshot.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.event.Topics;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.snapshot.SnapshotServiceApplication;
import io.gridrun.snapshot.image.DockerImageResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Environments built by gridrun on the real Docker engine (from the busybox test image, so no
 * network is needed): a build that succeeds, one whose setup exits 1, a rebuild that leaves a
 * pinned job's image alone, one build at a time, and the build log.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SnapshotServiceApplication.CONFIG_NAME,
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "gridrun.kafka.partitions=1"
    })
@EmbeddedKafka(partitions = 1)
@AutoConfigureWebTestClient
class EnvironmentBuildIntegrationTest {

  private static final String BASE = "gridrun/busybox:test";
  private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
  private static final Path HOME = temporaryHome();
  private static final Path PROJECTS = HOME.resolve("projects");
  private static final DockerImageResolver DOCKER =
      new DockerImageResolver("unix:///var/run/docker.sock");

  private static KafkaConsumer<String, String> snapshots;
  private static final List<GridrunEvent> published = new CopyOnWriteArrayList<>();

  @Autowired WebTestClient http;
  @Autowired EventPublisher publisher;

  @org.junit.jupiter.api.BeforeEach
  void patience() {
    http = http.mutate().responseTimeout(Duration.ofSeconds(60)).build();
  }

  private static Path temporaryHome() {
    try {
      return Files.createTempDirectory("gridrun-env-build-it");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    if (MONGO.getLocalAddress() == null) {
      MONGO.bind("127.0.0.1", 0);
    }
    registry.add(
        "spring.mongodb.uri",
        () -> "mongodb://localhost:" + MONGO.getLocalAddress().getPort() + "/gridrun-snapshots");
    registry.add("gridrun.snapshot.projects-root", PROJECTS::toString);
    registry.add("gridrun.storage.blobs", () -> HOME.resolve("blobs").toString());
  }

  @BeforeAll
  static void listen(@Autowired EmbeddedKafkaBroker broker) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    snapshots = new KafkaConsumer<>(props);
    snapshots.subscribe(List.of(Topics.SNAPSHOTS));
  }

  @AfterAll
  static void stop() throws IOException {
    snapshots.close();
    MONGO.shutdownNow();
    try (var paths = Files.walk(HOME)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static GridrunEvent snapshotOf(String jobId) {
    List<GridrunEvent> found = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              snapshots
                  .poll(Duration.ofMillis(200))
                  .forEach(record -> published.add(EventCodec.decode(record.value())));
              found.clear();
              published.stream().filter(e -> e.jobId().equals(jobId)).forEach(found::add);
              return !found.isEmpty();
            });
    return found.get(0);
  }

  private String takeSnapshot(String environment) throws IOException {
    String project = "p-" + environment;
    Path dir = PROJECTS.resolve(project);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("main.pipeline.json"),
        """
        {"name": "main", "steps": [{"id": "a", "file": "a.sh", "environment": "%s"}]}
        """
            .formatted(environment));
    Files.writeString(dir.resolve("a.sh"), "cat /built.txt\n");
    String jobId = "j-it-" + UUID.randomUUID().toString().substring(0, 8);
    publisher.publishAndWait(
        new JobCreated(
            UUID.randomUUID().toString(),
            jobId,
            Instant.now(),
            "it",
            project,
            "main.pipeline.json",
            ParameterGrid.EMPTY,
            Map.of(),
            null));
    return jobId;
  }

  private void build(String name, String setup) {
    http.put()
        .uri("/api/v1/environments/{name}", name)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("base", BASE, "setup", setup, "env", Map.of("KIND", "built")))
        .exchange()
        .expectStatus()
        .isAccepted()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("BUILDING");
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> awaitEnded(String name, int version) {
    Map<String, Object>[] view = new Map[1];
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              view[0] =
                  http.get()
                      .uri("/api/v1/environments/{name}", name)
                      .exchange()
                      .expectStatus()
                      .isOk()
                      .expectBody(Map.class)
                      .returnResult()
                      .getResponseBody();
              return Integer.valueOf(version).equals(view[0].get("version"))
                  && !"BUILDING".equals(view[0].get("status"));
            });
    return view[0];
  }

  private String log(String name, int version, boolean follow) {
    return http.get()
        .uri("/api/v1/environments/{name}/builds/{v}/log?follow=" + follow, name, version)
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aBuildEndsReadyWithItsImageTaggedAndItsLogFollowable() {
    build("tools", "echo version one > /built.txt\necho setting up");

    // followed from the start, the log ends when the build does, with all of it
    String followed = log("tools", 1, true);
    assertThat(followed).contains("setting up").contains("READY gridrun/env-tools:1");

    Map<String, Object> view = awaitEnded("tools", 1);
    assertThat(view).containsEntry("status", "READY").containsEntry("version", 1);
    assertThat((String) view.get("imageId")).startsWith("sha256:");
    assertThat(view.get("reason")).isNull();
    assertThat(view.get("image")).isEqualTo("gridrun/env-tools:1");
    List<Map<String, Object>> versions = (List<Map<String, Object>>) view.get("versions");
    assertThat(versions).hasSize(1);
    assertThat(versions.get(0))
        .containsEntry("version", 1)
        .containsEntry("status", "READY")
        .containsEntry("imageId", view.get("imageId"));
    assertThat(versions.get(0).get("builtAt")).isNotNull();
    assertThat(DOCKER.resolve("gridrun/env-tools:1").imageId()).isEqualTo(view.get("imageId"));
    assertThat(log("tools", 1, false)).isEqualTo(followed);
  }

  @Test
  void aSetupScriptThatExits1FailsTheBuildAndAJobUsingItIsRefused() throws IOException {
    build("broken", "echo about to fail\nexit 1\necho never");

    java.util.Map<String, Object> view = awaitEnded("broken", 1);
    assertThat(view).containsEntry("status", "FAILED");
    assertThat(view.get("reason")).isEqualTo("setup script failed: exit code 1");
    assertThat(view.get("imageId")).isNull();
    String log = log("broken", 1, false);
    assertThat(log).contains("about to fail").doesNotContain("never");

    // the layers the failed build made (its COPY of the script) do not dangle as <none> images
    List<String> layers =
        log.lines()
            .map(String::strip)
            .filter(l -> l.matches("---> [0-9a-f]{12,64}"))
            .map(l -> l.substring(5))
            .toList();
    assertThat(layers).as(log).hasSizeGreaterThanOrEqualTo(2);
    String base = DOCKER.resolve(BASE).imageId();
    for (String layer : layers) {
      if (!base.startsWith("sha256:" + layer)) {
        assertThat(DOCKER.resolve(layer).imageId()).as("layer %s of %s", layer, log).isNull();
      }
    }

    GridrunEvent event = snapshotOf(takeSnapshot("broken"));
    assertThat(event).isInstanceOf(SnapshotFailed.class);
    assertThat(((SnapshotFailed) event).reason())
        .isEqualTo(
            "environment 'broken' has no READY version (version 1 is FAILED: setup script"
                + " failed: exit code 1)");
  }

  @Test
  void aRebuildMakesANewVersionAndLeavesAPinnedJobsImageAlone() throws IOException {
    build("model", "echo one > /built.txt");
    String first = (String) awaitEnded("model", 1).get("imageId");
    String pinnedJob = takeSnapshot("model");
    SnapshotCreated pinned = (SnapshotCreated) snapshotOf(pinnedJob);
    assertThat(pinned.environments().get("model").imageId()).isEqualTo(first);
    assertThat(pinned.environments().get("model").env()).containsEntry("KIND", "built");

    build("model", "sleep 2; echo two > /built.txt");
    // one build at a time per environment
    http.put()
        .uri("/api/v1/environments/model")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("base", BASE, "setup", "true"))
        .exchange()
        .expectStatus()
        .isEqualTo(409);
    Map<String, Object> second = awaitEnded("model", 2);
    assertThat(second).containsEntry("status", "READY");
    assertThat(second.get("imageId")).isNotEqualTo(first);

    // the pinned job's snapshot still names the first image, and that image is still there
    http.get()
        .uri("/api/v1/snapshots/{id}", pinned.snapshotId())
        .exchange()
        .expectBody()
        .jsonPath("$.environments.model.imageId")
        .isEqualTo(first);
    assertThat(DOCKER.resolve(first).exists()).isTrue();
    // a new job pins the new version
    SnapshotCreated next = (SnapshotCreated) snapshotOf(takeSnapshot("model"));
    assertThat(next.environments().get("model").imageId()).isEqualTo(second.get("imageId"));
    assertThat(next.environments().get("model").image()).isEqualTo("gridrun/env-model:2");
  }

  @Test
  void aBuildRequestIsValidated() {
    http.put()
        .uri("/api/v1/environments/x")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("base", BASE, "image", BASE))
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.put()
        .uri("/api/v1/environments/x")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("setup", "true"))
        .exchange()
        .expectStatus()
        .isBadRequest();
    http.get().uri("/api/v1/environments/x/builds/1/log").exchange().expectStatus().isNotFound();
  }
}

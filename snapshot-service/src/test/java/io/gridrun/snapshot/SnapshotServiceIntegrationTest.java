package io.gridrun.snapshot;

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
import io.gridrun.snapshot.image.DockerImageResolver;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.manifest.Manifests;
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
 * The service as a whole on an embedded Kafka broker, a MongoDB protocol server and the real Docker
 * engine: environments over HTTP, a JobCreated in, a SnapshotCreated or SnapshotFailed out, and the
 * snapshot readable over HTTP.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=" + SnapshotServiceApplication.CONFIG_NAME,
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "gridrun.kafka.partitions=2"
    })
@EmbeddedKafka(partitions = 2)
@AutoConfigureWebTestClient(
    timeout = "30s") // the first requests of a cold context on a loaded machine
class SnapshotServiceIntegrationTest {

  private static final MongoServer MONGO = new MongoServer(new MemoryBackend());
  private static final Path HOME = temporaryHome();
  private static final Path PROJECTS = HOME.resolve("projects");
  private static final Path BLOBS = HOME.resolve("blobs");

  private static KafkaConsumer<String, String> snapshots;
  private static final List<GridrunEvent> published = new CopyOnWriteArrayList<>();

  @Autowired WebTestClient http;
  @Autowired EventPublisher publisher;

  private static Path temporaryHome() {
    try {
      return Files.createTempDirectory("gridrun-snapshot-it");
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
    registry.add("gridrun.storage.blobs", BLOBS::toString);
    registry.add("gridrun.snapshot.max-upload-compressed-bytes", () -> "20000");
    registry.add("gridrun.snapshot.max-upload-entries", () -> "20");
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

  /** Waits for the snapshot topic's events of a job, in order. */
  private static List<GridrunEvent> eventsOf(String jobId, int count) {
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
              return found.size() >= count;
            });
    return found;
  }

  private static String newJobId() {
    return "j-it-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private JobCreated jobCreated(String jobId, String project, String pipeline) {
    return new JobCreated(
        UUID.randomUUID().toString(),
        jobId,
        Instant.now(),
        "it",
        project,
        pipeline,
        ParameterGrid.EMPTY,
        Map.of(),
        null);
  }

  private void registerEnvironment(String name, String image) {
    http.put()
        .uri("/api/v1/environments/{name}", name)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(Map.of("image", image, "env", Map.of("TOOL", "busybox")))
        .exchange()
        .expectStatus()
        .isOk();
  }

  private static Path project(String name, String environment) throws IOException {
    Path dir = PROJECTS.resolve(name);
    Files.createDirectories(dir.resolve("data"));
    Files.createDirectories(dir.resolve("src"));
    Files.writeString(
        dir.resolve("train.pipeline.json"),
        """
        {"name": "train", "parameters": {"lr": 0.1}, "env": {"MODE": "fast"},
         "steps": [{"id": "prep", "file": "src/prep.sh", "environment": "%s"},
                   {"id": "train", "file": "src/train.sh", "environment": "%s",
                    "dependsOn": ["prep"]}]}
        """
            .formatted(environment, environment));
    Files.writeString(dir.resolve("src/prep.sh"), "echo prep\n");
    Files.writeString(dir.resolve("src/train.sh"), "echo train\n");
    Files.writeString(dir.resolve("data/huge.bin"), "never snapshotted");
    Files.writeString(dir.resolve(".gitignore"), "*.log\n");
    Files.writeString(dir.resolve("debug.log"), "ignored");
    return dir;
  }

  private static List<String> manifestPaths(String manifest) throws IOException {
    List<String> paths = new ArrayList<>();
    Manifests.forEach(new FileSystemBlobStore(BLOBS), manifest, e -> paths.add(e.path()));
    return paths;
  }

  @Test
  void snapshotsAJobsProjectWithItsEnvironmentPinnedToTheImageId() throws Exception {
    registerEnvironment("busybox", "gridrun/busybox:test");
    project("demo", "busybox");
    String jobId = newJobId();

    publisher.publishAndWait(jobCreated(jobId, "demo", "train.pipeline.json"));

    GridrunEvent event = eventsOf(jobId, 1).get(0);
    assertThat(event).isInstanceOf(SnapshotCreated.class);
    SnapshotCreated created = (SnapshotCreated) event;
    String imageId =
        new DockerImageResolver("unix:///var/run/docker.sock")
            .resolve("gridrun/busybox:test")
            .imageId();
    assertThat(created.snapshotId()).isEqualTo("s-" + jobId);
    assertThat(created.pipeline().steps()).hasSize(2);
    assertThat(created.environments().get("busybox").imageId())
        .startsWith("sha256:")
        .isEqualTo(imageId);
    assertThat(created.environments().get("busybox").image()).isEqualTo("gridrun/busybox:test");
    assertThat(created.environments().get("busybox").env()).containsEntry("TOOL", "busybox");
    assertThat(manifestPaths(created.manifest()))
        .containsExactlyInAnyOrder(
            ".gitignore", "train.pipeline.json", "src/prep.sh", "src/train.sh");

    http.get()
        .uri("/api/v1/snapshots/{id}", created.snapshotId())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.id")
        .isEqualTo("s-" + jobId)
        .jsonPath("$.jobId")
        .isEqualTo(jobId)
        .jsonPath("$.project")
        .isEqualTo("demo")
        .jsonPath("$.pipeline")
        .isEqualTo("train.pipeline.json")
        .jsonPath("$.fileCount")
        .isEqualTo(4)
        .jsonPath("$.totalBytes")
        .isNumber()
        .jsonPath("$.newBytes")
        .isNumber()
        .jsonPath("$.durationMs")
        .isNumber()
        .jsonPath("$.createdAt")
        .isNotEmpty()
        .jsonPath("$.environments.busybox.name")
        .isEqualTo("busybox")
        .jsonPath("$.environments.busybox.imageId")
        .isEqualTo(imageId);

    http.get()
        .uri("/api/v1/snapshots/{id}/files?page=0&size=2", created.snapshotId())
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items.length()")
        .isEqualTo(2)
        .jsonPath("$.total")
        .isEqualTo(4)
        .jsonPath("$.size")
        .isEqualTo(2);

    http.get()
        .uri("/api/v1/snapshots/" + created.snapshotId() + "/files/src/train.sh")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .isEqualTo("echo train\n");
    expectProblem(
        "/api/v1/snapshots/" + created.snapshotId() + "/files/src/nope.sh",
        404,
        "snapshot '" + created.snapshotId() + "' has no file 'src/nope.sh'");
    expectProblem(
        "/api/v1/snapshots/" + created.snapshotId() + "/files?size=501", 400, "size must be");
  }

  @Test
  void aRedeliveredJobCreatedRepublishesTheSameSnapshotWithoutCopyingAgain() throws Exception {
    registerEnvironment("busybox", "gridrun/busybox:test");
    project("again", "busybox");
    String jobId = newJobId();
    JobCreated job = jobCreated(jobId, "again", "train.pipeline.json");

    publisher.publishAndWait(job);
    SnapshotCreated first = (SnapshotCreated) eventsOf(jobId, 1).get(0);
    Files.writeString(PROJECTS.resolve("again/src/train.sh"), "echo changed afterwards\n");
    publisher.publishAndWait(job);
    SnapshotCreated second = (SnapshotCreated) eventsOf(jobId, 2).get(1);

    assertThat(second.snapshotId()).isEqualTo(first.snapshotId());
    assertThat(second.manifest()).isEqualTo(first.manifest());
    assertThat(second.environments()).isEqualTo(first.environments());
  }

  @Test
  void anUnregisteredEnvironmentFailsTheSnapshotWithTheReason() throws Exception {
    project("lonely", "nowhere");
    String jobId = newJobId();

    publisher.publishAndWait(jobCreated(jobId, "lonely", "train.pipeline.json"));

    GridrunEvent event = eventsOf(jobId, 1).get(0);
    assertThat(event).isInstanceOf(SnapshotFailed.class);
    assertThat(((SnapshotFailed) event).reason())
        .isEqualTo("environment 'nowhere' is not registered");
    http.get().uri("/api/v1/snapshots/{id}", "s-" + jobId).exchange().expectStatus().isNotFound();
  }

  @Test
  void anEnvironmentWhoseImageDoesNotExistFailsTheSnapshotNamingBoth() throws Exception {
    registerEnvironment("ghost", "gridrun/ghost:never-built");
    project("haunted", "ghost");
    String jobId = newJobId();

    publisher.publishAndWait(jobCreated(jobId, "haunted", "train.pipeline.json"));

    assertThat(((SnapshotFailed) eventsOf(jobId, 1).get(0)).reason())
        .isEqualTo("image 'gridrun/ghost:never-built' of environment 'ghost' does not exist");
  }

  @Test
  void anUnknownProjectOrPipelineFailsTheSnapshotWithTheReason() throws Exception {
    project("known", "busybox");
    String unknownProject = newJobId();
    String unknownPipeline = newJobId();

    publisher.publishAndWait(jobCreated(unknownProject, "missing", "train.pipeline.json"));
    publisher.publishAndWait(jobCreated(unknownPipeline, "known", "other.pipeline.json"));

    assertThat(((SnapshotFailed) eventsOf(unknownProject, 1).get(0)).reason())
        .isEqualTo("unknown project 'missing'");
    assertThat(((SnapshotFailed) eventsOf(unknownPipeline, 1).get(0)).reason())
        .isEqualTo("project 'known' has no pipeline 'other.pipeline.json'");
  }

  @Test
  void environmentsAreRegisteredListedAndReadOverHttp() {
    http.put()
        .uri("/api/v1/environments/py-3.12")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"image\": \"gridrun/busybox:test\", \"env\": {\"A\": \"1\"}}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("py-3.12")
        .jsonPath("$.image")
        .isEqualTo("gridrun/busybox:test")
        .jsonPath("$.env.A")
        .isEqualTo("1")
        .jsonPath("$.network")
        .isEqualTo(false);
    http.put()
        .uri("/api/v1/environments/online")
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue("{\"image\": \"gridrun/busybox:test\", \"network\": true}")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.network")
        .isEqualTo(true);

    http.get()
        .uri("/api/v1/environments/py-3.12")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.image")
        .isEqualTo("gridrun/busybox:test");
    http.get()
        .uri("/api/v1/environments?page=0&size=500")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.name == 'py-3.12')].image")
        .isEqualTo(List.of("gridrun/busybox:test"))
        .jsonPath("$.page")
        .isEqualTo(0)
        .jsonPath("$.size")
        .isEqualTo(500)
        .jsonPath("$.total")
        .isNumber();
    http.get().uri("/api/v1/environments?size=501").exchange().expectStatus().isBadRequest();
    http.get()
        .uri("/api/v1/environments/unknown-env")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("unknown environment 'unknown-env'");
  }

  @Test
  void anInvalidEnvironmentIsRefusedWithAProblemSayingWhy() {
    expectInvalidEnvironment("bad name!", "{\"image\": \"x\"}", "environment name 'bad name!'");
    expectInvalidEnvironment("ok", "{\"image\": \"  \"}", "image is required");
    expectInvalidEnvironment(
        "ok", "{\"image\": \"file:///etc/passwd\"}", "image is not an image reference");
    expectInvalidEnvironment(
        "ok", "{\"image\": \"x\", \"env\": {\"N\": 1}}", "env.N must be a string");
    expectInvalidEnvironment("ok", "{not json", "not valid JSON");
    expectInvalidEnvironment(
        "ok", "{\"image\": \"x\", \"network\": \"yes\"}", "network must be true or false");
    http.get().uri("/api/v1/environments/ok").exchange().expectStatus().isNotFound();
  }

  private void expectInvalidEnvironment(String name, String body, String detail) {
    http.put()
        .uri("/api/v1/environments/{name}", name)
        .contentType(MediaType.APPLICATION_JSON)
        .bodyValue(body)
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
        .expectBody()
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains(detail));
  }

  @Test
  void theInternalPipelineEndpointAnswersForTheGatewaysValidation() throws Exception {
    project("valid", "busybox");
    Files.writeString(PROJECTS.resolve("valid/broken.pipeline.json"), "{\"steps\": [");

    http.get()
        .uri("/internal/projects/valid/pipeline?path=train.pipeline.json")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.name")
        .isEqualTo("train")
        .jsonPath("$.steps[1].dependsOn[0]")
        .isEqualTo("prep")
        .jsonPath("$.parameters.lr")
        .isEqualTo(0.1);
    expectProblem(
        "/internal/projects/nope/pipeline?path=train.pipeline.json", 404, "unknown project 'nope'");
    expectProblem(
        "/internal/projects/valid/pipeline?path=x.json",
        404,
        "project 'valid' has no pipeline 'x.json'");
    expectProblem(
        "/internal/projects/valid/pipeline?path=broken.pipeline.json",
        400,
        "not valid pipeline JSON");
    expectProblem(
        "/internal/projects/valid/pipeline?path=../valid/train.pipeline.json",
        400,
        "inside the project");
    expectProblem(
        "/internal/projects/..valid/pipeline?path=train.pipeline.json",
        400,
        "not a valid project name");
  }

  private void expectProblem(String uri, int status, String detail) {
    http.get()
        .uri(uri)
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody()
        .jsonPath("$.detail")
        .value(String.class, d -> assertThat(d).contains(detail));
  }

  @Test
  void projectsAndTheirPipelinesAreListed() throws Exception {
    project("listed", "busybox");
    Files.createDirectories(PROJECTS.resolve("listed/sub"));
    Files.writeString(PROJECTS.resolve("listed/sub/eval.pipeline.json"), "{}");
    Files.writeString(PROJECTS.resolve("listed/data/cached.pipeline.json"), "{}");

    http.get()
        .uri("/api/v1/projects?size=500")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[?(@.name == 'listed')]")
        .exists();
    http.get()
        .uri("/api/v1/projects/listed/pipelines")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.items[*].path")
        .isEqualTo(List.of("sub/eval.pipeline.json", "train.pipeline.json"))
        .jsonPath("$.total")
        .isEqualTo(2);
    expectProblem("/api/v1/projects/absent/pipelines", 404, "unknown project 'absent'");
  }

  @Test
  void anUnknownSnapshotIsAProblem() {
    expectProblem("/api/v1/snapshots/s-none", 404, "unknown snapshot 's-none'");
    expectProblem("/api/v1/snapshots/s-none/files", 404, "unknown snapshot 's-none'");
  }

  @Test
  void theServiceReportsItsHealthAndMetrics() {
    http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    http.get()
        .uri("/actuator/prometheus")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody(String.class)
        .value(body -> assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge"));
  }

  private static byte[] tarGz(int files, String content) throws IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var tar =
        new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
            new org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream(bytes))) {
      for (int i = 0; i < files; i++) {
        var entry = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("f" + i, true);
        byte[] data = content.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private WebTestClient.ResponseSpec upload(String project, byte[] body) {
    return http.put()
        .uri("/api/v1/projects/{name}", project)
        .contentType(MediaType.parseMediaType("application/gzip"))
        .bodyValue(body)
        .exchange();
  }

  @Test
  void anUploadOverALimitIsRefusedWith413NamingTheLimitAndLeavesNothing() throws Exception {
    byte[] random = new byte[30_000];
    new java.util.Random(7).nextBytes(random);
    upload("limited", random)
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            d ->
                assertThat((String) d)
                    .contains("20000 bytes as sent")
                    .contains("gridrun.snapshot.max-upload-compressed-bytes"));
    upload("limited", tarGz(21, "x"))
        .expectStatus()
        .isEqualTo(413)
        .expectBody()
        .jsonPath("$.detail")
        .value(
            d ->
                assertThat((String) d)
                    .contains("more than 20 entries")
                    .contains("gridrun.snapshot.max-upload-entries"));
    assertThat(PROJECTS.resolve("limited")).doesNotExist();
    try (var left = Files.list(PROJECTS)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
    }
  }

  @Test
  void concurrentUploadsOfOneProjectAreSerialisedNeverA500() throws Exception {
    int uploads = 6;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(uploads);
    try {
      var statuses = new ArrayList<java.util.concurrent.Future<Integer>>();
      for (int i = 0; i < uploads; i++) {
        byte[] body = tarGz(3, "version " + i);
        statuses.add(
            pool.submit(
                () -> upload("raced", body).returnResult(String.class).getStatus().value()));
      }
      for (var status : statuses) {
        assertThat(status.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    String first = Files.readString(PROJECTS.resolve("raced/f0"));
    assertThat(PROJECTS.resolve("raced/f2")).hasContent(first);
  }
}

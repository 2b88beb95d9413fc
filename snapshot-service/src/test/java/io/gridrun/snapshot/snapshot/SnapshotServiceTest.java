package io.gridrun.snapshot.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.JobDeleted;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.snapshot.environment.Environment;
import io.gridrun.snapshot.environment.EnvironmentStore;
import io.gridrun.snapshot.image.ImageResolver;
import io.gridrun.snapshot.project.Projects;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * The snapshot use case without Spring or a broker: what it publishes for a job, and why it fails.
 */
class SnapshotServiceTest {

  private static final String IMAGE_ID = "sha256:" + "ab".repeat(32);

  @TempDir Path temp;
  private MongoServer mongoServer;
  private MongoClient client;
  private EnvironmentStore environments;
  private MockProducer<String, String> producer;
  private final AtomicInteger resolutions = new AtomicInteger();
  private ImageResolver images = this::knownImages;
  private ProjectCopier.Limits limits = new ProjectCopier.Limits(1000, 1_000_000);
  private Path projects;

  private ImageResolver.Resolution knownImages(String reference) {
    resolutions.incrementAndGet();
    return reference.equals("gridrun/busybox:test")
        ? new ImageResolver.Resolution(true, IMAGE_ID)
        : new ImageResolver.Resolution(false, null);
  }

  @BeforeEach
  void setUp() throws Exception {
    mongoServer = new MongoServer(new MemoryBackend());
    String uri = "mongodb://localhost:" + mongoServer.bind().getPort();
    client = MongoClients.create(uri);
    environments = new EnvironmentStore(new ReactiveMongoTemplate(client, "gridrun-snapshots"));
    environments
        .save(
            new Environment(
                "busybox", "gridrun/busybox:test", Map.of("A", "1"), Instant.now(), true))
        .block();
    // stays open across sends: the template closes its producer after each one
    producer =
        new MockProducer<>(true, null, new StringSerializer(), new StringSerializer()) {
          @Override
          public void close(java.time.Duration timeout) {}
        };
    projects = temp.resolve("projects");
    writeProject("demo", "busybox");
  }

  @AfterEach
  void tearDown() {
    client.close();
    mongoServer.shutdownNow();
  }

  private void writeProject(String name, String environment) throws Exception {
    Path dir = projects.resolve(name);
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("p.pipeline.json"),
        """
        {"steps": [{"id": "a", "file": "a.sh", "environment": "%s"}]}
        """
            .formatted(environment));
    Files.writeString(dir.resolve("a.sh"), "echo a\n");
  }

  private io.gridrun.storage.blob.BlobStore blobs;

  private SnapshotService service() {
    if (blobs == null) {
      blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    }
    return new SnapshotService(
        new Projects(projects),
        environments,
        images,
        new ProjectCopier(blobs, limits),
        new SnapshotStore(new ReactiveMongoTemplate(client, "gridrun-snapshots")),
        new SnapshotUsers(new ReactiveMongoTemplate(client, "gridrun-snapshots")),
        new EventPublisher(new KafkaTemplate<>(new MockProducerFactory<>(() -> producer))),
        Clock.systemUTC(),
        new SimpleMeterRegistry(),
        null);
  }

  private static JobCreated job(String jobId, String project, JobOptions options) {
    return new JobCreated(
        UUID.randomUUID().toString(),
        jobId,
        Instant.now(),
        "job",
        project,
        "p.pipeline.json",
        ParameterGrid.EMPTY,
        Map.of(),
        null,
        options);
  }

  private List<GridrunEvent> published() {
    return producer.history().stream().map(r -> EventCodec.decode(r.value())).toList();
  }

  private String failureOf(String project) {
    service().onJobCreated(job("j-1", project, null));
    List<GridrunEvent> events = published();
    assertThat(events).hasSize(1).first().isInstanceOf(SnapshotFailed.class);
    return ((SnapshotFailed) events.get(0)).reason();
  }

  @Test
  void publishesTheSnapshotWithItsEnvironmentsPinnedAndKeyedByJob() {
    service().onJobCreated(job("j-1", "demo", null));

    SnapshotCreated created = (SnapshotCreated) published().get(0);
    assertThat(producer.history().get(0).key()).isEqualTo("j-1");
    assertThat(created.snapshotId()).isEqualTo("s-j-1");
    assertThat(created.manifest()).matches("[0-9a-f]{64}");
    assertThat(created.environments().get("busybox").imageId()).isEqualTo(IMAGE_ID);
    assertThat(created.environments().get("busybox").env()).containsEntry("A", "1");
    assertThat(created.environments().get("busybox").wantsNetwork()).isTrue();
  }

  @Test
  void aRedeliveredJobRepublishesTheFirstSnapshotWithoutTakingItAgain() throws Exception {
    SnapshotService service = service();
    JobCreated job = job("j-1", "demo", null);
    service.onJobCreated(job);
    Files.writeString(projects.resolve("demo/a.sh"), "echo changed\n");
    service.onJobCreated(job);

    List<GridrunEvent> events = published();
    SnapshotCreated first = (SnapshotCreated) events.get(0);
    SnapshotCreated again = (SnapshotCreated) events.get(1);
    assertThat(again.manifest()).isEqualTo(first.manifest());
    assertThat(again.snapshotId()).isEqualTo(first.snapshotId());
    assertThat(resolutions).hasValue(1);
  }

  @Test
  void aJobReusingASnapshotGetsThatSnapshotOrAReasonWhenItIsGone() {
    SnapshotService service = service();
    service.onJobCreated(job("j-1", "demo", null));
    JobOptions reuse = new JobOptions(null, null, null, null, "s-j-1");
    JobOptions gone = new JobOptions(null, null, null, null, "s-gone");

    service.onJobCreated(job("j-2", null, reuse));
    service.onJobCreated(job("j-3", null, gone));

    List<GridrunEvent> events = published();
    assertThat(((SnapshotCreated) events.get(1)).snapshotId()).isEqualTo("s-j-1");
    assertThat(events.get(1).jobId()).isEqualTo("j-2");
    assertThat(((SnapshotFailed) events.get(2)).reason())
        .isEqualTo("snapshot 's-gone' does not exist");
  }

  @Test
  void aSnapshotIsDeletedWithTheLastJobThatUsesIt() {
    SnapshotService service = service();
    service.onJobCreated(job("j-1", "demo", JobOptions.DEFAULTS));
    service.onJobCreated(job("j-2", null, new JobOptions(null, null, null, null, "s-j-1")));
    SnapshotStore store = new SnapshotStore(new ReactiveMongoTemplate(client, "gridrun-snapshots"));

    service.onJobDeleted(new JobDeleted("e1", "j-1", Instant.now(), "s-j-1"));
    assertThat(store.findNow("s-j-1")).as("still used by j-2").isPresent();
    service.onJobDeleted(new JobDeleted("e2", "j-1", Instant.now(), "s-j-1"));
    assertThat(store.findNow("s-j-1")).as("a redelivery changes nothing").isPresent();

    service.onJobDeleted(new JobDeleted("e3", "j-2", Instant.now(), "s-j-1"));
    assertThat(store.findNow("s-j-1")).isEmpty();
  }

  @Test
  void failsWithAReasonForAnUnknownProjectOrAMissingPipeline() throws Exception {
    assertThat(failureOf("nope")).isEqualTo("unknown project 'nope'");
    producer.clear();
    Files.delete(projects.resolve("demo/p.pipeline.json"));
    assertThat(failureOf("demo")).isEqualTo("project 'demo' has no pipeline 'p.pipeline.json'");
  }

  @Test
  void failsWithTheParsersMessageForAPipelineThatIsNotJson() throws Exception {
    Files.writeString(projects.resolve("demo/p.pipeline.json"), "{\"steps\": [");

    assertThat(failureOf("demo"))
        .startsWith("pipeline 'p.pipeline.json' is not valid pipeline JSON");
  }

  @Test
  void failsWithTheProblemsOfAnInvalidPipeline() throws Exception {
    Files.writeString(
        projects.resolve("demo/p.pipeline.json"),
        """
        {"steps": [{"id": "a", "file": "a.sh", "environment": "busybox", "dependsOn": ["b"]},
                   {"id": "b", "file": "a.sh", "environment": "busybox", "dependsOn": ["a"]}]}
        """);

    assertThat(failureOf("demo")).contains("the steps form a cycle");
  }

  @Test
  void failsNamingTheEnvironmentThatIsNotRegisteredOrWhoseImageIsMissing() throws Exception {
    writeProject("lonely", "nowhere");
    assertThat(failureOf("lonely")).isEqualTo("environment 'nowhere' is not registered");

    producer.clear();
    environments.save(new Environment("ghost", "gridrun/ghost:1", Map.of(), Instant.now())).block();
    writeProject("haunted", "ghost");
    assertThat(failureOf("haunted"))
        .isEqualTo("image 'gridrun/ghost:1' of environment 'ghost' does not exist");
  }

  @Test
  void failsWithAReasonWhenTheContainerEngineDoesNotAnswer() {
    images =
        reference -> {
          throw new ImageResolver.Unavailable("the Docker engine at tcp://x:2375 is down", null);
        };

    assertThat(failureOf("demo"))
        .contains("environment 'busybox' could not be pinned")
        .contains("tcp://x:2375")
        .contains("gridrun.snapshot.image-resolution=none");
  }

  @Test
  void failsNamingALinkThatLeavesTheProjectAndTheLimitThatWasExceeded() throws Exception {
    Files.createSymbolicLink(projects.resolve("demo/escape"), Path.of("../../etc/passwd"));
    assertThat(failureOf("demo"))
        .isEqualTo("the link 'escape' points outside the project (to '../../etc/passwd')");

    producer.clear();
    Files.delete(projects.resolve("demo/escape"));
    limits = new ProjectCopier.Limits(1, 1_000_000);
    assertThat(failureOf("demo"))
        .isEqualTo(
            "the project has more than 1 files, the snapshot limit (gridrun.snapshot.max-files)");
  }

  @Test
  void anInvalidGitignorePatternIsAWarningOfTheSnapshotAndTheJobProceeds() throws Exception {
    Files.writeString(projects.resolve("demo/.gitignore"), "[z-a]\n*.tmp\n");
    Files.writeString(projects.resolve("demo/scratch.tmp"), "left out");

    service().onJobCreated(job("j-1", "demo", null));

    SnapshotCreated created = (SnapshotCreated) published().get(0);
    String warning = ".gitignore line 1: the pattern '[z-a]' is skipped: the range z-a is reversed";
    assertThat(created.warnings()).containsExactly(warning);
    SnapshotStore store = new SnapshotStore(new ReactiveMongoTemplate(client, "gridrun-snapshots"));
    assertThat(store.findNow("s-j-1").orElseThrow().warnings()).containsExactly(warning);
    assertThat(SnapshotView.of(store.findNow("s-j-1").orElseThrow()).warnings())
        .isEqualTo(List.of(warning));
  }

  @Test
  void aBlobStoreErrorFailsTheSnapshotWithTheReasonInsteadOfLeavingTheJobPending() {
    FileSystemBlobStore real = new FileSystemBlobStore(temp.resolve("blobs"));
    blobs =
        new io.gridrun.storage.blob.BlobStore() {
          @Override
          public io.gridrun.storage.blob.StoredBlob put(java.io.InputStream content) {
            throw new java.io.UncheckedIOException(
                new java.io.IOException("No space left on device"));
          }

          @Override
          public boolean exists(String hash) {
            return real.exists(hash);
          }

          @Override
          public java.io.InputStream open(String hash) throws java.io.IOException {
            return real.open(hash);
          }

          @Override
          public void copyTo(String hash, Path target) throws java.io.IOException {
            real.copyTo(hash, target);
          }

          @Override
          public Instant lastUsed(String hash) throws java.io.IOException {
            return real.lastUsed(hash);
          }

          @Override
          public boolean delete(String hash) throws java.io.IOException {
            return real.delete(hash);
          }

          @Override
          public java.util.stream.Stream<String> hashes() throws java.io.IOException {
            return real.hashes();
          }
        };

    assertThat(failureOf("demo")).isEqualTo("the snapshot failed: No space left on device");
  }
}

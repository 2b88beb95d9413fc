package io.gridrun.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.storage.artifact.ArtifactIndex;
import io.gridrun.storage.artifact.ArtifactStore;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.CachingBlobStore;
import io.gridrun.storage.blob.NoSuchBlobException;
import io.gridrun.storage.blob.StoredBlob;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import io.gridrun.storage.manifest.Materializer;
import io.gridrun.storage.object.ObjectStore;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** The S3 adapters against a real S3 API: S3Proxy with its file-system backend. */
class S3StoresTest {

  @TempDir static Path serverDir;
  @TempDir Path temp;

  private static S3ProxyServer server;
  private static S3Client s3;
  private static int bucketCount;
  private S3Settings settings;

  @BeforeAll
  static void startServer() throws IOException {
    server = S3ProxyServer.start(serverDir);
  }

  @AfterAll
  static void stopServer() {
    if (s3 != null) {
      s3.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void freshBucket() {
    settings = server.bucket("test-" + (++bucketCount), "gridrun/");
    if (s3 == null) {
      s3 = S3Clients.create(settings);
    }
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aMissingBucketIsCreatedOnceAndThenUsable() throws IOException {
    S3Settings missing =
        new S3Settings("created-at-start", "", server.endpoint(), "us-east-1", true);

    assertThatThrownBy(() -> new S3BlobStore(s3, missing).put(bytes("before")))
        .as("a write to a bucket nobody created fails");
    assertThat(S3Buckets.ensure(s3, "created-at-start")).as("created").isTrue();
    assertThat(S3Buckets.ensure(s3, "created-at-start")).as("already there").isFalse();

    StoredBlob blob = new S3BlobStore(s3, missing).put(bytes("after"));
    assertThat(new S3BlobStore(s3, missing).exists(blob.hash())).isTrue();
  }

  @Test
  void storesEachContentOnceUnderItsSha256BelowThePrefix() throws IOException {
    S3BlobStore store = new S3BlobStore(s3, settings);

    StoredBlob first = store.put(bytes("hello"));
    StoredBlob again = store.put(bytes("hello"));

    assertThat(first.hash())
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(first.size()).isEqualTo(5);
    try (Stream<String> hashes = store.hashes()) {
      assertThat(hashes.toList()).containsExactly(first.hash());
    }
    // the object is where the prefix says, in the bucket
    assertThat(
            s3.listObjectsV2(b -> b.bucket(settings.bucket())).contents().stream()
                .map(o -> o.key())
                .filter(key -> !key.endsWith("/")) // S3Proxy lists its directories as keys
                .toList())
        .containsExactly("gridrun/sha256/" + first.hash());
    try (InputStream in = store.open(first.hash())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }
    Path copy = temp.resolve("copy");
    store.copyTo(first.hash(), copy);
    assertThat(Files.readString(copy)).isEqualTo("hello");
    assertThat(store.exists(first.hash())).isTrue();
    assertThat(store.lastUsed(first.hash())).isBefore(Instant.now().plusSeconds(5));

    assertThat(store.delete(first.hash())).isTrue();
    assertThat(store.delete(first.hash())).isFalse();
    assertThat(store.exists(first.hash())).isFalse();
  }

  @Test
  void refusesUnknownOrMalformedHashes() {
    S3BlobStore store = new S3BlobStore(s3, settings);

    assertThatThrownBy(() -> store.open("0".repeat(64))).isInstanceOf(NoSuchBlobException.class);
    assertThatThrownBy(() -> store.open("../x")).isInstanceOf(NoSuchBlobException.class);
    assertThatThrownBy(() -> store.lastUsed("0".repeat(64)))
        .isInstanceOf(NoSuchBlobException.class);
    assertThat(store.exists("../x")).isFalse();
  }

  @Test
  void aRePutRenewsTheBlobsLastUseSoTheCollectionsGraceCountsFromIt() throws Exception {
    S3BlobStore store = new S3BlobStore(s3, settings);
    StoredBlob blob = store.put(bytes("kept"));
    Instant written = store.lastUsed(blob.hash());

    Thread.sleep(1100); // last-modified times have a resolution of one second
    store.put(bytes("kept"));

    assertThat(store.lastUsed(blob.hash())).isAfter(written);
  }

  @Test
  void namedObjectsArePutListedReadAndDeleted() throws IOException {
    ObjectStore objects = new S3ObjectStore(s3, settings.under("logs/"));

    objects.put("r1/a.log", "line\n".getBytes(StandardCharsets.UTF_8));
    Path file = Files.writeString(temp.resolve("b"), "other\n");
    objects.put("r1/b.log", file);
    objects.put("r2/a.log", new byte[0]);

    assertThat(objects.list("r1/")).containsExactlyInAnyOrder("r1/a.log", "r1/b.log");
    assertThat(objects.exists("r1/a.log")).isTrue();
    assertThat(objects.exists("r1/c.log")).isFalse();
    try (InputStream in = objects.open("r1/b.log").orElseThrow()) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("other\n");
    }
    assertThat(objects.open("r9/x.log")).isEmpty();
    assertThatThrownBy(() -> objects.put("../escape", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);

    objects.deleteAll("r1/");
    assertThat(objects.list("r")).containsExactly("r2/a.log");
  }

  @Test
  void aWorkingCopyIsMaterialisedFromTheBucketFetchingEachBlobOncePerHost() throws IOException {
    S3BlobStore remote = new S3BlobStore(s3, settings);
    StoredBlob script = remote.put(bytes("echo hi\n"));
    StoredBlob data = remote.put(bytes("1,2,3\n"));
    String manifest;
    try (Manifests.Writer writer = new Manifests.Writer()) {
      writer.add(ManifestEntry.dir("src", 0755));
      writer.add(ManifestEntry.file("src/run.sh", 0755, 8, script.hash()));
      writer.add(ManifestEntry.file("in.csv", 0644, 6, data.hash()));
      writer.add(ManifestEntry.file("copy.csv", 0644, 6, data.hash()));
      manifest = writer.store(remote).hash();
    }
    Counting counting = new Counting(remote);
    Path cache = temp.resolve("host-cache");

    // two runner processes on one host, each with its own cache object but one cache directory
    for (int run = 0; run < 3; run++) {
      CachingBlobStore host = new CachingBlobStore(counting, cache);
      Path copy = temp.resolve("work/r" + run + "/project");
      new Materializer(host, 4).materialize(manifest, copy);
      assertThat(Files.readString(copy.resolve("src/run.sh"))).isEqualTo("echo hi\n");
      assertThat(Files.readString(copy.resolve("copy.csv"))).isEqualTo("1,2,3\n");
      assertThat(Files.isExecutable(copy.resolve("src/run.sh"))).isTrue();
    }

    // the manifest and two distinct files: three fetches for three working copies
    assertThat(counting.fetches.get()).isEqualTo(3);
  }

  @Test
  void artifactsLiveInTheBucketAndGoWithTheirLastUse() throws IOException {
    ArtifactStore artifacts =
        new ArtifactStore(
            new S3BlobStore(s3, settings.under("artifacts/")),
            new S3ObjectStore(s3, settings.under("artifacts/")));
    Path outputs = temp.resolve("outputs");
    Files.createDirectories(outputs.resolve("plots"));
    Files.writeString(outputs.resolve("model.txt"), "weights");
    Files.writeString(outputs.resolve("plots/loss.txt"), "0.1");

    ArtifactIndex a = artifacts.keep("j1-r0000001", "train", outputs, 1 << 20);
    artifacts.keep("j1-r0000002", "train", outputs, 1 << 20);

    assertThat(a.artifacts()).extracting("path").containsExactly("model.txt", "plots/loss.txt");
    assertThat(artifacts.index("j1-r0000002", "train")).contains(a);
    try (InputStream in =
        artifacts.open(artifacts.find("j1-r0000001", "train", "model.txt").orElseThrow())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("weights");
    }

    artifacts.deleteRun("j1-r0000001");
    assertThat(artifacts.index("j1-r0000001", "train")).isEmpty();
    // still used by the other run
    try (InputStream in =
        artifacts.open(artifacts.find("j1-r0000002", "train", "model.txt").orElseThrow())) {
      assertThat(in.readAllBytes()).hasSize(7);
    }

    artifacts.deleteRunsOf("j1");
    assertThat(
            s3
                .listObjectsV2(b -> b.bucket(settings.bucket()).prefix("gridrun/artifacts/"))
                .contents()
                .stream()
                .filter(o -> !o.key().endsWith("/")))
        .isEmpty();
  }

  /** Counts the blobs fetched from the remote store. */
  private static final class Counting implements BlobStore {
    private final BlobStore delegate;
    final AtomicInteger fetches = new AtomicInteger();

    Counting(BlobStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public StoredBlob put(InputStream content) throws IOException {
      return delegate.put(content);
    }

    @Override
    public boolean exists(String hash) {
      return delegate.exists(hash);
    }

    @Override
    public InputStream open(String hash) throws IOException {
      fetches.incrementAndGet();
      return delegate.open(hash);
    }

    @Override
    public void copyTo(String hash, Path target) throws IOException {
      fetches.incrementAndGet();
      delegate.copyTo(hash, target);
    }

    @Override
    public Instant lastUsed(String hash) throws IOException {
      return delegate.lastUsed(hash);
    }

    @Override
    public boolean delete(String hash) throws IOException {
      return delegate.delete(hash);
    }

    @Override
    public Stream<String> hashes() throws IOException {
      return delegate.hashes();
    }
  }
}

package io.gridrun.snapshot.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.blob.StoredBlob;
import io.gridrun.storage.manifest.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCacheTest {

  @TempDir Path temp;
  private Path project;
  private CountingBlobs blobs;
  private StatCache cache;
  private ProjectCopier copier;
  private final FileTime anHourAgo = FileTime.from(Instant.now().minusSeconds(3600));

  /** Counts the project's files read into the store (not the manifest). */
  static final class CountingBlobs extends FileSystemBlobStore {
    final AtomicInteger filesRead = new AtomicInteger();
    private final Path project;

    CountingBlobs(Path root, Path project) {
      super(root);
      this.project = project;
    }

    @Override
    public StoredBlob put(Path file) throws IOException {
      if (file.toAbsolutePath().startsWith(project.toAbsolutePath())) {
        filesRead.incrementAndGet();
      }
      return super.put(file);
    }

    /** A snapshot puts its files through a batch: counted the same way. */
    @Override
    public Batch batch() {
      Batch inner = super.batch();
      return new Batch() {
        @Override
        public StoredBlob put(Path file) throws IOException {
          if (file.toAbsolutePath().startsWith(project.toAbsolutePath())) {
            filesRead.incrementAndGet();
          }
          return inner.put(file);
        }

        @Override
        public void sync() throws IOException {
          inner.sync();
        }
      };
    }
  }

  @BeforeEach
  void project() throws Exception {
    project = temp.resolve("project");
    for (int i = 0; i < 20; i++) {
      Path file = project.resolve("src/f" + i + ".txt");
      Files.createDirectories(file.getParent());
      Files.writeString(file, "content " + i);
      Files.setLastModifiedTime(file, anHourAgo);
    }
    blobs = new CountingBlobs(temp.resolve("blobs"), project.toRealPath());
    cache = new StatCache(temp.resolve("stat-cache"));
    copier = new ProjectCopier(blobs, new ProjectCopier.Limits(1000, 1_000_000), cache);
  }

  private Map<String, String> hashes(SnapshotContent content) throws Exception {
    Map<String, String> hashes = new TreeMap<>();
    Manifests.forEach(blobs, content.manifest(), e -> hashes.put(e.path(), e.hash()));
    return hashes;
  }

  @Test
  void anUnchangedReSnapshotReadsNoFileAndNamesTheSameManifest() throws Exception {
    SnapshotContent first = copier.copy(project);
    assertThat(blobs.filesRead).hasValue(20);

    SnapshotContent again = copier.copy(project);

    assertThat(blobs.filesRead).hasValue(20);
    assertThat(again.manifest()).isEqualTo(first.manifest());
    assertThat(again.fileCount()).isEqualTo(20);
    assertThat(again.totalBytes()).isEqualTo(first.totalBytes());
  }

  @Test
  void aFileRewrittenWithTheSameSizeAndModificationTimeIsReadAgain() throws Exception {
    copier.copy(project);
    Path file = project.resolve("src/f3.txt");
    Files.writeString(file, "CONTENT 3"); // same size
    Files.setLastModifiedTime(file, anHourAgo); // and the same mtime: the change time differs

    SnapshotContent again = copier.copy(project);

    assertThat(blobs.filesRead).hasValue(21);
    assertThat(hashes(again).get("src/f3.txt"))
        .isEqualTo(blobs.put(new java.io.ByteArrayInputStream("CONTENT 3".getBytes())).hash());
  }

  @Test
  void aFileReplacedByAnotherInodeIsReadAgain() throws Exception {
    copier.copy(project);
    Path file = project.resolve("src/f4.txt");
    Path replacement = project.resolve("src/f4.new");
    Files.writeString(replacement, "CONTENT 4");
    Files.setLastModifiedTime(replacement, anHourAgo);
    Files.move(replacement, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    SnapshotContent again = copier.copy(project);

    assertThat(blobs.filesRead).hasValue(21);
    assertThat(hashes(again)).hasSize(20).containsKey("src/f4.txt");
  }

  @Test
  void filesModifiedJustBeforeTheScanAreNotTrustedNextTime() throws Exception {
    Files.writeString(project.resolve("src/f5.txt"), "fresh 5"); // mtime now: racily clean
    copier.copy(project);

    copier.copy(project);

    assertThat(blobs.filesRead).hasValue(21); // f5 read again, the 19 others not
  }

  @Test
  void racilyCleanEntriesAreNotKept() throws Exception {
    StatCache.Scan scan = cache.open(project, false);
    FileTime now =
        Files.getLastModifiedTime(temp.resolve("stat-cache").toFile().listFiles()[0].toPath());
    long nowNanos = now.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    scan.record("same-tick", new StatCache.Stat(1, nowNanos, nowNanos, "k"), "h1");
    scan.record("a-second-ago", new StatCache.Stat(1, nowNanos - 1_000_000_000L, 0, "k"), "h2");
    scan.record("old", new StatCache.Stat(1, nowNanos - 3_000_000_000L, 0, "k"), "h3");
    scan.save();

    StatCache.Scan next = cache.open(project, false);

    assertThat(next.lookup("same-tick", new StatCache.Stat(1, nowNanos, nowNanos, "k"))).isNull();
    assertThat(
            next.lookup("a-second-ago", new StatCache.Stat(1, nowNanos - 1_000_000_000L, 0, "k")))
        .isNull();
    assertThat(next.lookup("old", new StatCache.Stat(1, nowNanos - 3_000_000_000L, 0, "k")))
        .isEqualTo("h3");
    assertThat(next.lookup("old", new StatCache.Stat(2, nowNanos - 3_000_000_000L, 0, "k")))
        .isNull();
  }

  @Test
  void rehashReadsEveryFile() throws Exception {
    copier.copy(project);

    copier.copy(project, true);

    assertThat(blobs.filesRead).hasValue(40);
  }

  @Test
  void aForgottenCacheReadsEveryFileOnce() throws Exception {
    copier.copy(project);
    cache.forget(project.toRealPath());

    copier.copy(project);
    copier.copy(project);

    assertThat(blobs.filesRead).hasValue(40);
  }

  @Test
  void aCollectedBlobIsStoredAgain() throws Exception {
    SnapshotContent first = copier.copy(project);
    String hash = hashes(first).get("src/f7.txt");
    blobs.delete(hash);

    copier.copy(project);

    assertThat(blobs.filesRead).hasValue(21);
    assertThat(blobs.exists(hash)).isTrue();
  }

  /** Where the file-system store keeps a blob. */
  private Path blobFile(String hash) {
    return temp.resolve("blobs").resolve("sha256").resolve(hash.substring(0, 2)).resolve(hash);
  }

  @Test
  void aReusedBlobIsMarkedUsedOnlyWhenItsLastMarkIsOlderThanTheMarkInterval() throws Exception {
    ProjectCopier marking =
        new ProjectCopier(
            blobs,
            new ProjectCopier.Limits(1000, 1_000_000),
            new StatCache(temp.resolve("marking"), true, java.time.Duration.ofMinutes(30)));
    SnapshotContent first = marking.copy(project);
    Path recent = blobFile(hashes(first).get("src/f1.txt"));
    Path old = blobFile(hashes(first).get("src/f2.txt"));
    FileTime tenMinutesAgo = FileTime.from(Instant.now().minusSeconds(600));
    Files.setLastModifiedTime(recent, tenMinutesAgo);
    Files.setLastModifiedTime(old, anHourAgo);

    marking.copy(project);

    assertThat(blobs.filesRead).hasValue(20);
    assertThat(Files.getLastModifiedTime(recent).toMillis()).isEqualTo(tenMinutesAgo.toMillis());
    assertThat(Files.getLastModifiedTime(old).toInstant()).isAfter(Instant.now().minusSeconds(60));
  }

  @Test
  void aDamagedCacheFileOnlyCostsARehash() throws Exception {
    copier.copy(project);
    try (var files = Files.list(temp.resolve("stat-cache"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".cache")).toList()) {
        Files.writeString(f, "garbage");
      }
    }

    SnapshotContent again = copier.copy(project);

    assertThat(blobs.filesRead).hasValue(40);
    assertThat(again.fileCount()).isEqualTo(20);
  }

  @Test
  void aCacheThatIsOffReadsEveryFile() throws Exception {
    ProjectCopier off =
        new ProjectCopier(
            blobs,
            new ProjectCopier.Limits(1000, 1_000_000),
            new StatCache(temp.resolve("off"), false));
    off.copy(project);
    off.copy(project);

    assertThat(blobs.filesRead).hasValue(40);
    assertThat(temp.resolve("off")).doesNotExist();
  }
}

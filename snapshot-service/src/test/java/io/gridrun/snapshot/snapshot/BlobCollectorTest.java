package io.gridrun.snapshot.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.storage.blob.FileSystemBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobCollectorTest {

  @TempDir Path temp;
  private FileSystemBlobStore blobs;
  private ProjectCopier copier;
  private Path project;

  @BeforeEach
  void store() throws Exception {
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    copier = new ProjectCopier(blobs, new ProjectCopier.Limits(100_000, Long.MAX_VALUE));
    project = temp.resolve("project");
    Files.createDirectories(project);
    Files.writeString(project.resolve("shared.txt"), "in both snapshots");
    Files.writeString(project.resolve("only-old.txt"), "only in the deleted snapshot");
  }

  private void age(String hash) throws Exception {
    Path file = temp.resolve("blobs/sha256").resolve(hash.substring(0, 2)).resolve(hash);
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofDays(2))));
  }

  private void ageAll() throws Exception {
    try (var hashes = blobs.hashes()) {
      for (String hash : hashes.toList()) {
        age(hash);
      }
    }
  }

  @Test
  void removesOnlyBlobsThatNoRemainingSnapshotReferences() throws Exception {
    SnapshotContent deleted = copier.copy(project);
    Files.delete(project.resolve("only-old.txt"));
    SnapshotContent kept = copier.copy(project);
    ageAll();

    BlobCollector.Collected result =
        new BlobCollector(blobs, Duration.ofHours(1), Clock.systemUTC())
            .collect(List.of(kept.manifest()));

    assertThat(result.deleted()).isEqualTo(2); // the old manifest and the file only it had
    assertThat(blobs.exists(deleted.manifest())).isFalse();
    assertThat(blobs.exists(kept.manifest())).isTrue();
    assertThat(
            new ProjectCopier(blobs, new ProjectCopier.Limits(10, Long.MAX_VALUE))
                .copy(project)
                .newBytes())
        .isZero();
  }

  @Test
  void aCollectionRacingASnapshotInProgressNeverDeletesItsBlobs() throws Exception {
    for (int i = 0; i < 300; i++) {
      Files.writeString(project.resolve("file-" + i + ".txt"), "content " + i);
    }
    BlobCollector collector = new BlobCollector(blobs, Duration.ofMinutes(10), Clock.systemUTC());
    CountDownLatch started = new CountDownLatch(1);

    // the snapshot writes blobs while collections run; its manifest is not recorded anywhere yet
    CompletableFuture<SnapshotContent> snapshot =
        CompletableFuture.supplyAsync(
            () -> {
              started.countDown();
              try {
                return copier.copy(project);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    started.await();
    while (!snapshot.isDone()) {
      collector.collect(List.of());
    }
    collector.collect(List.of());
    SnapshotContent content = snapshot.join();

    Path copy = temp.resolve("copy");
    new io.gridrun.storage.manifest.Materializer(blobs, 4).materialize(content.manifest(), copy);
    assertThat(copy.resolve("file-299.txt")).hasContent("content 299");
    assertThat(copy.resolve("shared.txt")).hasContent("in both snapshots");
  }

  @Test
  void reputtingAnOldBlobRenewsItsGracePeriod() throws Exception {
    SnapshotContent first = copier.copy(project);
    ageAll();
    copier.copy(project); // a new snapshot re-puts the same content

    BlobCollector.Collected result =
        new BlobCollector(blobs, Duration.ofHours(1), Clock.systemUTC()).collect(List.of());

    assertThat(result.deleted()).isZero();
    assertThat(blobs.exists(first.manifest())).isTrue();
  }
}

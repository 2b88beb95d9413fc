package io.gridrun.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch stores what {@code put} stores, deduplicates and repairs alike, and syncs once. */
class BlobBatchTest {

  @TempDir Path temp;

  private Path file(String name, String content) throws IOException {
    Path file = temp.resolve("project").resolve(name);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static String read(BlobStore store, String hash) throws IOException {
    try (InputStream in = store.open(hash)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aBatchStoresEveryFileOnceAndEachIsReadableAfterTheSync() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    BlobStore.Batch batch = store.batch();
    List<StoredBlob> blobs = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      // 100 distinct contents, each put three times
      blobs.add(batch.put(file("f" + i, "content " + (i % 100))));
    }
    batch.sync();

    assertThat(blobs.stream().filter(StoredBlob::created)).hasSize(100);
    for (int i = 0; i < 300; i++) {
      assertThat(read(store, blobs.get(i).hash())).isEqualTo("content " + (i % 100));
    }
    try (var hashes = store.hashes()) {
      assertThat(hashes.count()).isEqualTo(100);
    }
  }

  @Test
  void aBatchRepairsATruncatedBlobAsAPutDoes() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    String hash = store.put(file("a", "the whole content")).hash();
    Path onDisk = temp.resolve("blobs/sha256").resolve(hash.substring(0, 2)).resolve(hash);
    try (FileChannel channel = FileChannel.open(onDisk, StandardOpenOption.WRITE)) {
      channel.truncate(3);
    }

    BlobStore.Batch batch = store.batch();
    StoredBlob again = batch.put(file("b", "the whole content"));
    batch.sync();

    assertThat(again.created()).isTrue();
    assertThat(read(store, hash)).isEqualTo("the whole content");
  }

  @Test
  void aStoreWithoutItsOwnBatchPutsEachBlobAsItsPutDoes() throws IOException {
    FileSystemBlobStore disk = new FileSystemBlobStore(temp.resolve("blobs"));
    BlobStore wrapped = delegatingTo(disk); // the interface's default batch

    BlobStore.Batch batch = wrapped.batch();
    StoredBlob blob = batch.put(file("c", "via the default"));
    batch.sync();

    assertThat(blob.created()).isTrue();
    assertThat(read(disk, blob.hash())).isEqualTo("via the default");
  }

  private static BlobStore delegatingTo(FileSystemBlobStore disk) {
    return new BlobStore() {
      @Override
      public StoredBlob put(InputStream content) throws IOException {
        return disk.put(content);
      }

      @Override
      public boolean exists(String hash) {
        return disk.exists(hash);
      }

      @Override
      public InputStream open(String hash) throws IOException {
        return disk.open(hash);
      }

      @Override
      public void copyTo(String hash, Path target) throws IOException {
        disk.copyTo(hash, target);
      }

      @Override
      public java.time.Instant lastUsed(String hash) throws IOException {
        return disk.lastUsed(hash);
      }

      @Override
      public boolean delete(String hash) throws IOException {
        return disk.delete(hash);
      }

      @Override
      public java.util.stream.Stream<String> hashes() throws IOException {
        return disk.hashes();
      }
    };
  }
}

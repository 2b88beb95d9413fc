package io.gridrun.storage.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import io.gridrun.storage.manifest.Materializer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A blob truncated on disk (as by a crash before its bytes reached the disk) is never used. */
class BlobIntegrityTest {

  @TempDir Path temp;

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private Path fileOf(String hash) {
    return temp.resolve("blobs/sha256").resolve(hash.substring(0, 2)).resolve(hash);
  }

  private void truncate(String hash, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(fileOf(hash), StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  @Test
  void aTruncatedBlobFailsToReadAndToCopyAndAWorkingCopyOfItFails() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    StoredBlob data = store.put(bytes("0123456789".repeat(1000)));
    String manifest;
    try (Manifests.Writer writer = new Manifests.Writer()) {
      writer.add(ManifestEntry.file("data.csv", 0644, data.size(), data.hash()));
      manifest = writer.store(store).hash();
    }
    truncate(data.hash(), 4000);

    try (InputStream in = store.open(data.hash())) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(CorruptBlobException.class)
          .hasMessageContaining(data.hash());
    }
    Path copy = temp.resolve("copy.csv");
    assertThatThrownBy(() -> store.copyTo(data.hash(), copy))
        .isInstanceOf(CorruptBlobException.class);
    assertThat(copy).doesNotExist();
    assertThatThrownBy(() -> new Materializer(store, 2).materialize(manifest, temp.resolve("wc")))
        .hasStackTraceContaining("is damaged");
  }

  @Test
  void puttingTheSameContentAgainRepairsATruncatedBlob() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    StoredBlob data = store.put(bytes("hello, durable world\n"));
    truncate(data.hash(), 5);

    StoredBlob again = store.put(bytes("hello, durable world\n"));

    assertThat(again.hash()).isEqualTo(data.hash());
    try (InputStream in = store.open(data.hash())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello, durable world\n");
    }
  }
}

package io.gridrun.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.blob.NoSuchBlobException;
import io.gridrun.storage.blob.StoredBlob;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import io.gridrun.storage.manifest.Materializer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoreAndMaterializerTest {

  @TempDir Path temp;

  private static ByteArrayInputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void storesEachDistinctContentOnceUnderItsSha256() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));

    StoredBlob first = store.put(bytes("hello"));
    StoredBlob again = store.put(bytes("hello"));

    assertThat(first.hash())
        .isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    try (var hashes = store.hashes()) {
      assertThat(hashes.toList()).containsExactly(first.hash());
    }
  }

  @Test
  void refusesUnknownOrMalformedHashes() {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));

    assertThatThrownBy(() -> store.open("0".repeat(64))).isInstanceOf(NoSuchBlobException.class);
    assertThatThrownBy(() -> store.open("../../etc/passwd"))
        .isInstanceOf(NoSuchBlobException.class);
    assertThat(store.exists("../x")).isFalse();
  }

  @Test
  void materialisesAManifestIntoAWritableCopyThatCannotChangeTheBlobs() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    StoredBlob script = store.put(bytes("echo hi\n"));
    StoredBlob data = store.put(bytes("1,2,3\n"));
    String manifest;
    try (Manifests.Writer writer = new Manifests.Writer()) {
      writer.add(ManifestEntry.file("run.sh", 0755, script.size(), script.hash()));
      writer.add(ManifestEntry.file("in/data.csv", 0644, data.size(), data.hash()));
      writer.add(ManifestEntry.file("in/copy.csv", 0644, data.size(), data.hash()));
      writer.add(ManifestEntry.dir("out", 0755));
      writer.add(ManifestEntry.link("latest.csv", "in/data.csv"));
      manifest = writer.store(store).hash();
    }
    Path copy = temp.resolve("copy");

    new Materializer(store, 4).materialize(manifest, copy);

    assertThat(copy.resolve("run.sh")).hasContent("echo hi");
    assertThat(Files.isExecutable(copy.resolve("run.sh"))).isTrue();
    assertThat(copy.resolve("in/copy.csv")).hasContent("1,2,3");
    assertThat(copy.resolve("out")).isDirectory();
    assertThat(Files.readSymbolicLink(copy.resolve("latest.csv")))
        .isEqualTo(Path.of("in/data.csv"));
    Files.writeString(copy.resolve("in/data.csv"), "changed by a run");
    try (var in = store.open(data.hash())) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("1,2,3\n");
    }
  }

  @Test
  void streamsManifestEntriesInOrder() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest;
    try (Manifests.Writer writer = new Manifests.Writer()) {
      for (int i = 0; i < 1000; i++) {
        writer.add(ManifestEntry.dir("d" + i, 0755));
      }
      manifest = writer.store(store).hash();
    }
    List<String> paths = new ArrayList<>();

    Manifests.forEach(store, manifest, e -> paths.add(e.path()));

    assertThat(paths).hasSize(1000).startsWith("d0", "d1").endsWith("d999");
  }

  @Test
  void refusesManifestPathsAndLinksThatLeaveTheWorkingCopy() throws IOException {
    FileSystemBlobStore store = new FileSystemBlobStore(temp.resolve("blobs"));
    String escapingPath;
    String escapingLink;
    try (Manifests.Writer writer = new Manifests.Writer()) {
      writer.add(ManifestEntry.dir("../outside", 0755));
      escapingPath = writer.store(store).hash();
    }
    try (Manifests.Writer writer = new Manifests.Writer()) {
      writer.add(ManifestEntry.link("sub/evil", "../../etc/passwd"));
      escapingLink = writer.store(store).hash();
    }

    assertThatThrownBy(
            () -> new Materializer(store, 2).materialize(escapingPath, temp.resolve("a")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("leaves the working copy");
    assertThatThrownBy(
            () -> new Materializer(store, 2).materialize(escapingLink, temp.resolve("b")))
        .hasMessageContaining("leaves the working copy");
    assertThat(temp.resolve("outside")).doesNotExist();
  }
}

package io.gridrun.storage.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

  @TempDir Path root;

  private Path outputs(String name, String... pathsAndContents) throws IOException {
    Path dir = root.resolve("out-" + name);
    for (int i = 0; i < pathsAndContents.length; i += 2) {
      Path file = dir.resolve(pathsAndContents[i]);
      Files.createDirectories(file.getParent());
      Files.writeString(file, pathsAndContents[i + 1]);
    }
    return dir;
  }

  private long blobCount() throws IOException {
    try (var files = Files.walk(root.resolve("store/blobs/sha256"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void keepsFilesInPathOrderUpToTheCapAndReportsTheRest() throws IOException {
    ArtifactStore store = new ArtifactStore(root.resolve("store"));
    Path out = outputs("a", "b/model.bin", "12345678", "a.txt", "1234", "c.txt", "123");

    ArtifactIndex index = store.keep("j-1-r0000000", "train", out, 10);

    assertThat(index.artifacts()).extracting(Artifact::path).containsExactly("a.txt", "c.txt");
    assertThat(index.notKept()).extracting(Artifact::path).containsExactly("b/model.bin");
    assertThat(index.notKept().get(0).size()).isEqualTo(8);
    Artifact a = store.find("j-1-r0000000", "train", "a.txt").orElseThrow();
    assertThat(a.sha256()).hasSize(64);
    try (var in = store.open(a)) {
      assertThat(new String(in.readAllBytes())).isEqualTo("1234");
    }
    assertThat(store.index("j-1-r0000000", "other")).isEmpty();
  }

  @Test
  void sameContentIsStoredOnceAndDeletedWithItsLastRun() throws IOException {
    ArtifactStore store = new ArtifactStore(root.resolve("store"));
    store.keep("j-1-r0000000", "s", outputs("1", "m.txt", "same", "x.txt", "only one"), 1000);
    store.keep("j-1-r0000001", "s", outputs("2", "m.txt", "same"), 1000);
    assertThat(blobCount()).isEqualTo(2);

    store.deleteRun("j-1-r0000000");
    assertThat(blobCount()).isEqualTo(1);
    assertThat(store.index("j-1-r0000000", "s")).isEmpty();
    Artifact shared = store.find("j-1-r0000001", "s", "m.txt").orElseThrow();
    try (var in = store.open(shared)) {
      assertThat(new String(in.readAllBytes())).isEqualTo("same");
    }

    store.deleteRunsOf("j-1");
    assertThat(blobCount()).isZero();
  }
}

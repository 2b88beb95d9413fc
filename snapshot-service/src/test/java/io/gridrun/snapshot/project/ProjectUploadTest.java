package io.gridrun.snapshot.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectUploadTest {

  @TempDir Path temp;
  private Path root;
  private ProjectUpload upload;

  @BeforeEach
  void existingProject() throws IOException {
    root = temp.resolve("projects");
    Files.createDirectories(root.resolve("demo"));
    Files.writeString(root.resolve("demo/old.txt"), "previous version");
    upload = new ProjectUpload(root, 1000);
  }

  private void assertNothingChanged() throws IOException {
    assertThat(root.resolve("demo/old.txt")).hasContent("previous version");
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("demo");
    }
    try (var outside = Files.list(temp)) {
      assertThat(outside.map(p -> p.getFileName().toString())).containsExactly("projects");
    }
  }

  /** A tar.gz built entry by entry: {name, type, content-or-link-target}. */
  private static ByteArrayInputStream archive(String[]... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
      for (String[] e : entries) {
        TarArchiveEntry entry;
        switch (e[1]) {
          case "link" -> {
            entry = new TarArchiveEntry(e[0], TarArchiveEntry.LF_SYMLINK);
            entry.setLinkName(e[2]);
          }
          case "hard" -> {
            entry = new TarArchiveEntry(e[0], TarArchiveEntry.LF_LINK);
            entry.setLinkName(e[2]);
          }
          case "fifo" -> entry = new TarArchiveEntry(e[0], TarArchiveEntry.LF_FIFO);
          case "dir" -> entry = new TarArchiveEntry(e[0].endsWith("/") ? e[0] : e[0] + "/");
          default -> {
            entry = new TarArchiveEntry(e[0], true);
            entry.setSize(e[2].getBytes(StandardCharsets.UTF_8).length);
            entry.setMode(e[1].equals("exec") ? 0100755 : 0100644);
          }
        }
        tar.putArchiveEntry(entry);
        if (e[1].equals("file") || e[1].equals("exec")) {
          tar.write(e[2].getBytes(StandardCharsets.UTF_8));
        }
        tar.closeArchiveEntry();
      }
    }
    return new ByteArrayInputStream(bytes.toByteArray());
  }

  @Test
  void replacesTheProjectWithTheArchiveKeepingModesAndInnerLinks() throws Exception {
    ProjectUpload.Result result =
        upload.replace(
            "demo",
            archive(
                new String[] {"./train.sh", "exec", "echo hi\n"},
                new String[] {"conf/", "dir", ""},
                new String[] {"conf/a.json", "file", "{}"},
                new String[] {"latest.json", "link", "conf/a.json"}));

    assertThat(result.files()).isEqualTo(2);
    assertThat(root.resolve("demo/old.txt")).doesNotExist();
    assertThat(root.resolve("demo/train.sh")).hasContent("echo hi");
    assertThat(Files.isExecutable(root.resolve("demo/train.sh"))).isTrue();
    assertThat(Files.readSymbolicLink(root.resolve("demo/latest.json")))
        .isEqualTo(Path.of("conf/a.json"));
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("demo");
    }
  }

  @Test
  void refusesEntriesThatEscapeAndKeepsThePreviousVersionIntact() throws Exception {
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    archive(
                        new String[] {"ok.txt", "file", "x"},
                        new String[] {"../evil.txt", "file", "x"})))
        .isInstanceOf(ProjectUpload.Refused.class)
        .hasMessageContaining("'../evil.txt'");
    assertThatThrownBy(
            () -> upload.replace("demo", archive(new String[] {"/etc/cron.d/x", "file", "x"})))
        .hasMessageContaining("absolute path");
    assertThatThrownBy(
            () -> upload.replace("demo", archive(new String[] {"out", "link", "../../etc/passwd"})))
        .hasMessageContaining("points outside the project");
    assertThatThrownBy(
            () -> upload.replace("demo", archive(new String[] {"abs", "link", "/etc/passwd"})))
        .hasMessageContaining("points outside the project");
    assertThatThrownBy(() -> upload.replace("demo", archive(new String[] {"pipe", "fifo", ""})))
        .hasMessageContaining("device or fifo");

    assertThat(root.resolve("demo/old.txt")).hasContent("previous version");
    assertThat(root.resolve("demo/ok.txt")).doesNotExist();
    assertThat(temp.resolve("evil.txt")).doesNotExist();
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("demo");
    }
  }

  @Test
  void refusesAnArchiveOverTheSizeLimitOrThatIsNotATarGz() {
    assertThatThrownBy(
            () ->
                upload.replace("demo", archive(new String[] {"big.bin", "file", "x".repeat(2000)})))
        .hasMessageContaining("upload limit of 1000 bytes");
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    new ByteArrayInputStream("plain text".getBytes(StandardCharsets.UTF_8))))
        .hasMessageContaining("not a .tar.gz");
    assertThatThrownBy(() -> upload.replace("../x", archive()))
        .hasMessageContaining("not a valid project name");
    assertThat(root.resolve("demo/old.txt")).hasContent("previous version");
  }

  @Test
  void chainedLinksCannotCarryAWriteOutsideTheProjectsRoot() throws Exception {
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    archive(
                        new String[] {"a/", "dir", ""},
                        new String[] {"a/up", "link", ".."},
                        new String[] {"a/up/x", "link", "../.."},
                        new String[] {"a/up/x/file", "file", "escaped"})))
        .isInstanceOf(ProjectUpload.Refused.class)
        .hasMessageContaining("'a/up/x' points outside the project");
    // a lexically harmless target that really leaves through a link to "."
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    archive(
                        new String[] {"s", "link", "."},
                        new String[] {"t", "link", "s/.."},
                        new String[] {"t/file", "file", "escaped"})))
        .hasMessageContaining("'t' points outside the project");
    // a directory entry through a link is created at the link's real place, never outside
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    archive(
                        new String[] {"up", "link", "."},
                        new String[] {"up/up/../../etc/", "dir", ""})))
        .hasMessageContaining("leaves the project");

    assertThat(temp.resolve("file")).doesNotExist();
    assertThat(temp.resolve("etc")).doesNotExist();
    assertNothingChanged();
  }

  @Test
  void aFileWrittenThroughAnInnerLinkLandsAtItsRealPlaceInsideTheProject() throws Exception {
    upload.replace(
        "demo",
        archive(
            new String[] {"real/", "dir", ""},
            new String[] {"alias", "link", "real"},
            new String[] {"alias/file.txt", "file", "inside"}));

    assertThat(root.resolve("demo/real/file.txt")).hasContent("inside");
    assertThat(Files.isSymbolicLink(root.resolve("demo/alias"))).isTrue();
  }

  @Test
  void hardLinksOnlyCopyRegularFilesEarlierInTheSameArchive() throws Exception {
    assertThatThrownBy(
            () -> upload.replace("demo", archive(new String[] {"passwd", "hard", "/etc/passwd"})))
        .hasMessageContaining("does not name a regular file earlier in the archive");
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo", archive(new String[] {"passwd", "hard", "../../../etc/passwd"})))
        .hasMessageContaining("does not name a regular file earlier in the archive");
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    archive(
                        new String[] {"later", "hard", "target.txt"},
                        new String[] {"target.txt", "file", "x"})))
        .hasMessageContaining("does not name a regular file earlier in the archive");
    assertThatThrownBy(
            () ->
                upload.replace(
                    "demo",
                    archive(
                        new String[] {"l", "link", "old.txt"}, new String[] {"copy", "hard", "l"})))
        .hasMessageContaining("does not name a regular file earlier in the archive");
    assertNothingChanged();

    upload.replace(
        "demo",
        archive(
            new String[] {"conf/a.json", "file", "{}"},
            new String[] {"conf/b.json", "hard", "conf/a.json"}));
    assertThat(root.resolve("demo/conf/b.json")).hasContent("{}");
    Files.writeString(root.resolve("demo/conf/a.json"), "changed");
    assertThat(root.resolve("demo/conf/b.json")).hasContent("{}"); // a copy, not a link
  }

  @Test
  void limitsAreCountedWhileStreamingAndNamed() throws Exception {
    ProjectUpload strict = new ProjectUpload(root, new UploadLimits(400, 1000, 3, 64));

    assertThatThrownBy(
            () ->
                strict.replace(
                    "demo",
                    archive(
                        new String[] {"a", "file", "x".repeat(600)},
                        new String[] {"b", "hard", "a"})))
        .isInstanceOfSatisfying(ProjectUpload.Refused.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessageContaining("gridrun.snapshot.max-upload-bytes");
    assertThatThrownBy(
            () ->
                strict.replace(
                    "demo",
                    archive(
                        new String[] {"a", "file", ""},
                        new String[] {"b", "file", ""},
                        new String[] {"c", "file", ""},
                        new String[] {"d", "file", ""})))
        .isInstanceOfSatisfying(ProjectUpload.Refused.class, e -> assertThat(e.tooLarge()).isTrue())
        .hasMessageContaining("more than 3 entries")
        .hasMessageContaining("gridrun.snapshot.max-upload-entries");
    assertThatThrownBy(
            () -> strict.replace("demo", archive(new String[] {"d/".repeat(40) + "f", "file", ""})))
        .isInstanceOfSatisfying(
            ProjectUpload.Refused.class, e -> assertThat(e.tooLarge()).isFalse())
        .hasMessageContaining("gridrun.snapshot.max-upload-path-length");
    byte[] random = new byte[2000];
    new java.util.Random(1).nextBytes(random);
    String incompressible = java.util.Base64.getEncoder().encodeToString(random).substring(0, 900);
    assertThatThrownBy(
            () -> strict.replace("demo", archive(new String[] {"r", "file", incompressible})))
        .hasMessageContaining("gridrun.snapshot.max-upload-compressed-bytes");
    // a bomb: a tiny archive that unpacks to far more than the limit is cut off as it streams
    assertThatThrownBy(
            () ->
                new ProjectUpload(root, new UploadLimits(1 << 20, 1000, 3, 64))
                    .replace("demo", archive(new String[] {"zeros", "file", "0".repeat(1 << 22)})))
        .hasMessageContaining("gridrun.snapshot.max-upload-bytes");
    assertNothingChanged();
  }

  @Test
  void concurrentUploadsOfOneProjectAreSerialisedAndEachSucceeds() throws Exception {
    int uploads = 8;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(uploads);
    try {
      var results = new java.util.ArrayList<java.util.concurrent.Future<ProjectUpload.Result>>();
      for (int i = 0; i < uploads; i++) {
        byte[] body =
            archive(
                    new String[] {"version.txt", "file", "v" + i},
                    new String[] {"same.txt", "file", "v" + i})
                .readAllBytes();
        results.add(pool.submit(() -> upload.replace("demo", new ByteArrayInputStream(body))));
      }
      for (var result : results) {
        assertThat(result.get().files()).isEqualTo(2);
      }
    } finally {
      pool.shutdownNow();
    }
    String version = Files.readString(root.resolve("demo/version.txt"));
    assertThat(root.resolve("demo/same.txt")).hasContent(version);
    try (var left = Files.list(root)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("demo");
    }
  }
}

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
}

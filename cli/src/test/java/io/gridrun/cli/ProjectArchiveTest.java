package io.gridrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectArchiveTest {

  @TempDir Path dir;

  @Test
  void packsWhatASnapshotWouldKeep() throws Exception {
    Path project = dir.resolve("p");
    Files.createDirectories(project.resolve("sub/build"));
    Files.createDirectories(project.resolve("data"));
    Files.createDirectories(project.resolve(".git"));
    Files.writeString(project.resolve(".gitignore"), "*.log\nbuild/\n!keep.log\n");
    Files.writeString(project.resolve("sub/.gitignore"), "local.txt\n");
    Files.writeString(project.resolve("run.sh"), "echo hi\n");
    Files.writeString(project.resolve("a.log"), "x");
    Files.writeString(project.resolve("keep.log"), "kept");
    Files.writeString(project.resolve("sub/local.txt"), "x");
    Files.writeString(project.resolve("sub/build/out.bin"), "x");
    Files.writeString(project.resolve("data/big.csv"), "x");
    Files.writeString(project.resolve(".git/HEAD"), "x");
    String longName = "d".repeat(60) + "/" + "f".repeat(70) + ".txt";
    Files.createDirectories(project.resolve(longName).getParent());
    Files.writeString(project.resolve(longName), "long");
    Path archive = dir.resolve("p.tar.gz");

    ProjectArchive.Packed packed = ProjectArchive.pack(project, archive);

    List<String> listed = tar("-tzf", archive.toString());
    assertThat(listed.stream().filter(p -> !p.endsWith("/")))
        .containsExactlyInAnyOrder(".gitignore", "run.sh", "keep.log", "sub/.gitignore", longName);
    assertThat(packed.files()).isEqualTo(5);
    assertThat(packed.bytes())
        .isEqualTo(Files.size(project.resolve(".gitignore")) + 8 + 4 + 10 + 4);
    Path out = Files.createDirectories(dir.resolve("out"));
    tar("-xzf", archive.toString(), "-C", out.toString());
    assertThat(out.resolve(longName)).hasContent("long");
    assertThat(out.resolve("run.sh")).hasContent("echo hi\n");
  }

  private static List<String> tar(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("tar"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as(output).isZero();
    return output.lines().toList();
  }
}

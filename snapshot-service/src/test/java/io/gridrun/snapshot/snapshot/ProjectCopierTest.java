package io.gridrun.snapshot.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import io.gridrun.storage.manifest.Materializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectCopierTest {

  @TempDir Path temp;
  private Path project;
  private FileSystemBlobStore blobs;
  private ProjectCopier copier;

  @BeforeEach
  void project() throws Exception {
    project = temp.resolve("project");
    Files.createDirectories(project.resolve("src"));
    Files.createDirectories(project.resolve("data"));
    Files.createDirectories(project.resolve(".git"));
    Files.createDirectories(project.resolve("scratch"));
    Files.writeString(project.resolve("src/train.sh"), "echo train\n");
    Files.writeString(project.resolve("README.md"), "hello\n");
    Files.writeString(project.resolve("data/big.csv"), "1,2,3\n");
    Files.writeString(project.resolve(".git/HEAD"), "ref\n");
    Files.writeString(project.resolve("scratch/tmp.txt"), "x\n");
    Files.writeString(project.resolve("debug.log"), "noise\n");
    Files.writeString(project.resolve(".gitignore"), "*.log\nscratch/\n");
    blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    copier = new ProjectCopier(blobs, new ProjectCopier.Limits(1000, 1_000_000));
  }

  private List<String> paths(SnapshotContent content) throws Exception {
    List<String> paths = new ArrayList<>();
    Manifests.forEach(blobs, content.manifest(), e -> paths.add(e.type() + ":" + e.path()));
    return paths;
  }

  @Test
  void leavesOutDataGitAndIgnoredPathsAndKeepsTheRest() throws Exception {
    SnapshotContent content = copier.copy(project);

    assertThat(paths(content))
        .containsExactlyInAnyOrder("file:.gitignore", "file:README.md", "file:src/train.sh");
    assertThat(content.fileCount()).isEqualTo(3);
  }

  @Test
  void aSecondSnapshotOfAnUnchangedProjectAddsNoBytesAndOneChangedFileAddsOneBlob()
      throws Exception {
    SnapshotContent first = copier.copy(project);
    SnapshotContent again = copier.copy(project);
    Files.writeString(project.resolve("README.md"), "changed\n");
    SnapshotContent changed = copier.copy(project);

    assertThat(first.newBytes()).isEqualTo(first.totalBytes());
    assertThat(again.newBytes()).isZero();
    assertThat(again.manifest()).isEqualTo(first.manifest());
    assertThat(changed.newBytes()).isEqualTo("changed\n".length());
  }

  @Test
  void keepsALinkInsideTheProjectAndMaterialisesItAsALink() throws Exception {
    Files.createSymbolicLink(project.resolve("latest.sh"), Path.of("src/train.sh"));

    SnapshotContent content = copier.copy(project);
    Path copy = temp.resolve("copy");
    new Materializer(blobs, 2).materialize(content.manifest(), copy);

    assertThat(paths(content)).contains("link:latest.sh");
    assertThat(Files.readSymbolicLink(copy.resolve("latest.sh")))
        .isEqualTo(Path.of("src/train.sh"));
    assertThat(copy.resolve("latest.sh")).hasContent("echo train");
    assertThat(Files.isExecutable(copy.resolve("src/train.sh")))
        .isEqualTo(Files.isExecutable(project.resolve("src/train.sh")));
  }

  @Test
  void failsOnALinkThatLeavesTheProjectNamingThePath() throws Exception {
    Files.createSymbolicLink(project.resolve("src/secrets"), Path.of("../../etc"));

    assertThatThrownBy(() -> copier.copy(project))
        .isInstanceOf(SnapshotFailure.class)
        .hasMessageContaining("src/secrets")
        .hasMessageContaining("outside the project");
  }

  @Test
  void failsOnAnAbsoluteLink() throws Exception {
    Files.createSymbolicLink(project.resolve("abs"), project.resolve("README.md").toAbsolutePath());

    assertThatThrownBy(() -> copier.copy(project))
        .hasMessageContaining("'abs' points outside the project");
  }

  @Test
  void skipsAndListsSpecialFiles() throws Exception {
    Path fifo = project.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();

    SnapshotContent content = copier.copy(project);

    assertThat(content.skipped()).containsExactly("pipe");
    assertThat(paths(content)).doesNotContain("file:pipe");
  }

  @Test
  void refusesAProjectOverTheLimits() {
    ProjectCopier small = new ProjectCopier(blobs, new ProjectCopier.Limits(2, 1_000_000));
    ProjectCopier tiny = new ProjectCopier(blobs, new ProjectCopier.Limits(100, 10));

    assertThatThrownBy(() -> small.copy(project)).hasMessageContaining("more than 2 files");
    assertThatThrownBy(() -> tiny.copy(project)).hasMessageContaining("larger than 10 bytes");
  }

  @Test
  void anEmptyDirectoryIsKept() throws Exception {
    Files.createDirectories(project.resolve("outputs"));

    assertThat(paths(copier.copy(project))).contains(ManifestEntry.DIR + ":outputs");
  }

  @Test
  void failsOnALinkThatEscapesThroughAnotherLinkAlthoughItLooksInside() throws Exception {
    Files.createSymbolicLink(project.resolve("up"), Path.of("."));
    Files.createSymbolicLink(project.resolve("sneaky"), Path.of("up/../secret.txt"));

    assertThatThrownBy(() -> copier.copy(project))
        .isInstanceOf(SnapshotFailure.class)
        .hasMessageContaining("'sneaky' points outside the project");
  }

  @Test
  void failsOnALinkCycleInsteadOfLoopingForever() throws Exception {
    Files.createSymbolicLink(project.resolve("a"), Path.of("b/x"));
    Files.createSymbolicLink(project.resolve("b"), Path.of("a/y"));

    assertThatThrownBy(() -> copier.copy(project))
        .isInstanceOf(SnapshotFailure.class)
        .hasMessageContaining("too many levels of symbolic links");
  }

  @Test
  void keepsALinkToADirectoryInsideThroughOtherLinksAsALink() throws Exception {
    Files.createSymbolicLink(project.resolve("code"), Path.of("src"));
    Files.createSymbolicLink(project.resolve("src/again"), Path.of("../code/train.sh"));

    assertThat(paths(copier.copy(project))).contains("link:code", "link:src/again");
  }

  @Test
  void aFileReIncludedUnderAnIgnoredDirectoryStaysExcludedAsInGit() throws Exception {
    Files.createDirectories(project.resolve("build/reports"));
    Files.writeString(project.resolve("build/reports/keep.txt"), "x\n");
    Files.writeString(project.resolve(".gitignore"), "build/\n!build/reports/keep.txt\n");

    assertThat(paths(copier.copy(project))).noneMatch(p -> p.contains("build/"));
  }

  @Test
  void aNestedGitignoreAppliesToItsOwnSubtreeOnly() throws Exception {
    Files.createDirectories(project.resolve("models/cache"));
    Files.writeString(project.resolve("models/.gitignore"), "*.bin\n!final.bin\ncache/\n");
    Files.writeString(project.resolve("models/w1.bin"), "1");
    Files.writeString(project.resolve("models/final.bin"), "f");
    Files.writeString(project.resolve("models/cache/c.txt"), "c");
    Files.writeString(project.resolve("top.bin"), "t");

    assertThat(paths(copier.copy(project)))
        .contains("file:models/.gitignore", "file:models/final.bin", "file:top.bin")
        .doesNotContain("file:models/w1.bin", "file:models/cache/c.txt");
  }

  @Test
  void onlyTheDataDirectoryAtTheRootIsLeftOut() throws Exception {
    Files.createDirectories(project.resolve("src/data"));
    Files.writeString(project.resolve("src/data/table.csv"), "a,b\n");

    assertThat(paths(copier.copy(project)))
        .contains("file:src/data/table.csv")
        .doesNotContain("file:data/big.csv");
  }

  @Test
  void aProjectDirectoryThatIsALinkIsWalked() throws Exception {
    Path link = temp.resolve("linked-project");
    Files.createSymbolicLink(link, project);

    assertThat(paths(copier.copy(link))).contains("file:README.md", "file:src/train.sh");
  }
}

package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.runner.TestRuns;
import io.gridrun.storage.blob.FileSystemBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlay working copies a runner that died left: the next runner on the same work directory
 * takes down, at its start, the mounts of the runs it does not resume, and leaves alone the ones it
 * resumes, the ones a live runner process mounted, and every mount outside its work directory. Real
 * overlay mounts (the runner tests run as root on Linux, as CI does).
 */
class LeftoverMountsTest {

  @TempDir Path temp;

  private Process live;

  @AfterEach
  void cleanUp() {
    if (live != null) {
      live.destroyForcibly();
    }
    for (String point : Overlays.mountPoints()) {
      if (point.startsWith(temp.toString())) {
        Overlays.unmount(Path.of(point));
      }
    }
  }

  private static boolean mounted(Path runDir) {
    return Overlays.mountPoints()
        .contains(runDir.resolve(RunProjects.PROJECT).toAbsolutePath().normalize().toString());
  }

  /** Records {@code pid} as the process that mounted the run's working copy. */
  private static void mountedBy(Path runDir, long pid) throws Exception {
    Files.writeString(runDir.resolve(RunProjects.MOUNTED_BY), Long.toString(pid));
  }

  private static long deadPid() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    return gone.pid();
  }

  @Test
  void aStartingRunnerTakesDownOnlyTheMountsOfRunsNoOneResumesUnderItsOwnWorkDirectory()
      throws Exception {
    FileSystemBlobStore blobs = new FileSystemBlobStore(temp.resolve("blobs"));
    String manifest = TestRuns.snapshot(blobs, Map.of("f.txt", "snapshot\n"));
    Path work = temp.resolve("work");
    Path elsewhere = temp.resolve("other-work");
    RunProjects died = new RunProjects(blobs, work, RunProjects.Mode.OVERLAY, 2);
    assertThat(died.overlays()).as("overlay mounts (the runner tests run as root)").isTrue();
    RunProjects neighbour = new RunProjects(blobs, elsewhere, RunProjects.Mode.OVERLAY, 2);
    Path left = work.resolve("j-r0000000");
    Path resumed = work.resolve("j-r0000001");
    Path liveOnes = work.resolve("j-r0000002");
    Path outside = elsewhere.resolve("j-r0000003");
    for (Path runDir : new Path[] {left, resumed, liveOnes}) {
      died.prepare(manifest, runDir);
    }
    neighbour.prepare(manifest, outside);
    Files.writeString(left.resolve("project/changed.txt"), "made by the run\n");
    long dead = deadPid();
    mountedBy(left, dead);
    mountedBy(resumed, dead);
    mountedBy(outside, dead);
    live = new ProcessBuilder("sleep", "60").start();
    mountedBy(liveOnes, live.pid());

    RunProjects next = new RunProjects(blobs, work, RunProjects.Mode.OVERLAY, 2);
    int taken = next.takeDownLeftovers(Set.of(resumed.getFileName().toString()));

    assertThat(taken).isEqualTo(1);
    assertThat(mounted(left)).as("a run no one resumes").isFalse();
    assertThat(left.resolve(RunProjects.UPPER).resolve("changed.txt"))
        .as("what the run changed stays in its upper layer")
        .hasContent("made by the run\n");
    assertThat(mounted(resumed)).as("a run this runner resumes").isTrue();
    assertThat(mounted(liveOnes)).as("a live runner process's run").isTrue();
    assertThat(mounted(outside)).as("outside the work directory").isTrue();

    assertThat(next.remount(left)).as("mounted again if the run is resumed after all").isTrue();
    assertThat(left.resolve("project/changed.txt")).hasContent("made by the run\n");
  }
}

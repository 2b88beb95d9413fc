package io.gridrun.bench;

import io.gridrun.runner.execution.RunProjects;
import io.gridrun.snapshot.snapshot.ProjectCopier;
import io.gridrun.snapshot.snapshot.SnapshotContent;
import io.gridrun.snapshot.snapshot.StatCache;
import io.gridrun.storage.blob.FileSystemBlobStore;
import io.gridrun.storage.manifest.Materializer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Issues 4 and 19's figures: snapshotting a project into the content-addressed store, again
 * unchanged (with the stat cache, and with a forced full rehash as before it), and a run's working
 * copy (an overlay mount of the snapshot materialised once per runner, and a full copy as before),
 * each next to {@code cp -a} of the same tree.
 */
final class SnapshotBench {

  record Settings(int files, long totalBytes, Path workDir) {}

  /** Where the time went and what changed (issue 19 §3), printed under the table. */
  static final List<String> NOTES =
      List.of(
          "Where the time went: a re-snapshot read and SHA-256-hashed every byte of the project"
              + " again to find that nothing changed (the full-rehash row measures that path in the"
              + " same run), and every run materialised a full copy of the snapshot from the blob"
              + " store (the full-copy row).",
          "What changed: snapshot-service keeps a stat cache per project (`StatCache`: size,"
              + " mtime, ctime, device and inode per file, as git's index), so an unchanged file is"
              + " one `lstat` and one blob look-up; files modified less than 2 s before the scan"
              + " that hashed them are read again (git's racily-clean rule, on the file system's"
              + " clock); `DELETE /api/v1/projects/{name}/stat-cache` or"
              + " `gridrun.snapshot.stat-cache=false` force a full rehash. Runners materialise a"
              + " snapshot once (`<work>/.snapshots/<manifest>`) and give every run an overlay"
              + " mount of it with the run's own upper layer (`RunProjects`), so a run's working"
              + " copy costs one mount whatever the project's size.");

  private final Settings settings;
  private final List<String> notRun = new ArrayList<>();

  SnapshotBench(Settings settings) {
    this.settings = settings;
  }

  List<Figure> run() throws Exception {
    Path project = settings.workDir().resolve("snapshot-project");
    Stops.awaitAll();
    long written = createProject(project);
    Phases.mark("project written");
    FileSystemBlobStore blobs =
        new FileSystemBlobStore(settings.workDir().resolve("snapshot-blobs"));
    ProjectCopier copier =
        new ProjectCopier(
            blobs,
            new ProjectCopier.Limits(Long.MAX_VALUE, Long.MAX_VALUE),
            new StatCache(settings.workDir().resolve("stat-cache")));
    List<Figure> figures = new ArrayList<>();
    String what = settings.files() + " files, " + (written / (1024 * 1024)) + " MiB";

    double cp1 = cpA(project, settings.workDir().resolve("cp-1"));
    Instant start = Instant.now();
    SnapshotContent first = copier.copy(project);
    figures.add(
        new Figure(
            "first snapshot of " + what,
            millis(start),
            "ms",
            "cp -a of the same tree",
            cp1,
            false));

    // the stat cache trusts files modified 2 s or more before the scan that hashed them
    Thread.sleep(2_100);
    copier.copy(project); // hashes kept by a scan that started after the files were written
    double cp2 = cpA(project, settings.workDir().resolve("cp-2"));
    start = Instant.now();
    SnapshotContent again = copier.copy(project);
    figures.add(
        new Figure(
            "re-snapshot of the unchanged project (stat cache: unchanged files not read)",
            millis(start),
            "ms",
            "cp -a of the same tree",
            cp2,
            false));
    double cp2b = cpA(project, settings.workDir().resolve("cp-2b"));
    start = Instant.now();
    copier.copy(project, true);
    figures.add(
        new Figure(
            "re-snapshot of the unchanged project, full rehash (as before issue 19)",
            millis(start),
            "ms",
            "cp -a of the same tree",
            cp2b,
            false));
    figures.add(
        new Figure(
            "new blob bytes written by the re-snapshot",
            again.newBytes(),
            "B",
            "bytes cp -a writes",
            (double) written,
            false));

    Path work = settings.workDir().resolve("runner-work");
    RunProjects overlays = new RunProjects(blobs, work, RunProjects.Mode.AUTO, 2);
    if (overlays.overlays()) {
      double cp3 = cpA(project, settings.workDir().resolve("cp-3"));
      start = Instant.now();
      overlays.prepare(first.manifest(), work.resolve("run-1"));
      figures.add(
          new Figure(
              "a snapshot's first run on a runner: its tree materialised once, then mounted",
              millis(start),
              "ms",
              "cp -a of the same tree",
              cp3,
              false));
      double cp4 = cpA(project, settings.workDir().resolve("cp-4"));
      start = Instant.now();
      overlays.prepare(first.manifest(), work.resolve("run-2"));
      figures.add(
          new Figure(
              "a run's working copy ready: overlay mount of the materialised snapshot",
              millis(start),
              "ms",
              "cp -a of the same tree",
              cp4,
              false));
      overlays.release(work.resolve("run-1"));
      overlays.release(work.resolve("run-2"));
    } else {
      notRun.add(
          "the overlay working copy: this process may not mount overlays (run as root on Linux)");
    }
    double cp5 = cpA(project, settings.workDir().resolve("cp-5"));
    start = Instant.now();
    new Materializer(blobs, 4)
        .materialize(first.manifest(), settings.workDir().resolve("working-copy"));
    figures.add(
        new Figure(
            "a run's working copy as a full copy (gridrun.runner.working-copy=copy; before issue"
                + " 19 every run)",
            millis(start),
            "ms",
            "cp -a of the same tree",
            cp5,
            false));
    return figures;
  }

  /** What could not be measured here and why. */
  List<String> notRun() {
    return List.copyOf(notRun);
  }

  /** Files of varied sizes: mostly small, some medium, a few large; incompressible content. */
  private long createProject(Path project) throws IOException {
    Random random = new Random(42);
    long budget = settings.totalBytes();
    int large = Math.max(1, settings.files() / 1000);
    int medium = Math.max(1, settings.files() / 20);
    long written = 0;
    byte[] chunk = new byte[64 * 1024];
    for (int i = 0; i < settings.files(); i++) {
      long size;
      if (i < large) {
        size = budget * 6 / 10 / large;
      } else if (i < large + medium) {
        size = budget * 3 / 10 / medium;
      } else {
        size = Math.max(1, budget / 10 / Math.max(1, settings.files() - large - medium));
      }
      Path file = project.resolve("d" + (i % 100)).resolve("f" + i + ".bin");
      Files.createDirectories(file.getParent());
      try (OutputStream out = Files.newOutputStream(file)) {
        for (long left = size; left > 0; left -= chunk.length) {
          random.nextBytes(chunk);
          out.write(chunk, 0, (int) Math.min(left, chunk.length));
        }
      }
      written += size;
    }
    return written;
  }

  private static double cpA(Path from, Path to) throws Exception {
    Instant start = Instant.now();
    Process cp = new ProcessBuilder("cp", "-a", from.toString(), to.toString()).inheritIO().start();
    if (cp.waitFor() != 0) {
      throw new IllegalStateException("cp -a failed");
    }
    double took = millis(start);
    org.springframework.util.FileSystemUtils.deleteRecursively(to); // disk, not time
    return took;
  }

  private static double millis(Instant start) {
    return Duration.between(start, Instant.now()).toNanos() / 1_000_000.0;
  }
}

package io.gridrun.bench;

import io.gridrun.snapshot.snapshot.ProjectCopier;
import io.gridrun.snapshot.snapshot.SnapshotContent;
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
 * Issue 4's figures: snapshotting a project into the content-addressed store, again unchanged, and
 * materialising a run's working copy, each next to {@code cp -a} of the same tree.
 */
final class SnapshotBench {

  record Settings(int files, long totalBytes, Path workDir) {}

  private final Settings settings;

  SnapshotBench(Settings settings) {
    this.settings = settings;
  }

  List<Figure> run() throws Exception {
    Path project = settings.workDir().resolve("snapshot-project");
    long written = createProject(project);
    FileSystemBlobStore blobs =
        new FileSystemBlobStore(settings.workDir().resolve("snapshot-blobs"));
    ProjectCopier copier =
        new ProjectCopier(blobs, new ProjectCopier.Limits(Long.MAX_VALUE, Long.MAX_VALUE));
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

    double cp2 = cpA(project, settings.workDir().resolve("cp-2"));
    start = Instant.now();
    SnapshotContent again = copier.copy(project);
    figures.add(
        new Figure(
            "re-snapshot of the unchanged project",
            millis(start),
            "ms",
            "cp -a of the same tree",
            cp2,
            false));
    figures.add(
        new Figure(
            "new blob bytes written by the re-snapshot",
            again.newBytes(),
            "B",
            "bytes cp -a writes",
            (double) written,
            false));

    double cp3 = cpA(project, settings.workDir().resolve("cp-3"));
    start = Instant.now();
    new Materializer(blobs, Runtime.getRuntime().availableProcessors() * 2)
        .materialize(first.manifest(), settings.workDir().resolve("working-copy"));
    figures.add(
        new Figure(
            "materialising one run's working copy",
            millis(start),
            "ms",
            "cp -a of the same tree",
            cp3,
            false));
    return figures;
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
    return millis(start);
  }

  private static double millis(Instant start) {
    return Duration.between(start, Instant.now()).toNanos() / 1_000_000.0;
  }
}

package io.gridrun.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Mounts a runner killed with -9 leaves under its work directory (the nosuid,nodev views of /data,
 * the overlay working copies of its runs, kept for a runner that resumes them): a test whose killed
 * runner is not started again takes them down before its temporary directory is removed.
 */
final class LeftMounts {

  private LeftMounts() {}

  /** Lazily unmounts every mount point below {@code dir}, the deepest first. */
  static void unmountUnder(Path dir) {
    String root = dir.toAbsolutePath().normalize() + "/";
    try {
      List<String> points =
          Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
              .map(line -> line.split(" ")[4].replace("\\040", " "))
              .filter(point -> point.startsWith(root))
              .sorted(Comparator.comparingInt(String::length).reversed())
              .toList();
      for (String point : points) {
        new ProcessBuilder("umount", "-l", point).inheritIO().start().waitFor();
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("could not unmount what was left under " + dir, e);
    }
  }
}

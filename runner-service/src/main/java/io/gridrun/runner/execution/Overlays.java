package io.gridrun.runner.execution;

import io.gridrun.runner.runtime.LinuxCalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Overlay mounts of working copies (Linux, privileged): system calls through libc ({@link
 * LinuxCalls}), else the {@code mount}/{@code umount} commands, two spawns of the JVM per run.
 */
final class Overlays {

  private static final Logger log = LoggerFactory.getLogger(Overlays.class);
  private static final String MOUNT = "/bin/mount";
  private static final String UMOUNT = "/bin/umount";

  private Overlays() {}

  /** Whether an overlay can be mounted under {@code dir}: tried once with a throw-away mount. */
  static boolean possible(Path dir) {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")
        || !(LinuxCalls.loaded() || Files.isExecutable(Path.of(MOUNT)))) {
      return false;
    }
    Path trial = dir.resolve(".trial-" + ProcessHandle.current().pid());
    try {
      Path lower = Files.createDirectories(trial.resolve("lower"));
      Files.writeString(lower.resolve("f"), "lower");
      Path merged = Files.createDirectories(trial.resolve("merged"));
      if (!mount(
          lower,
          Files.createDirectories(trial.resolve("upper")),
          Files.createDirectories(trial.resolve("work")),
          merged)) {
        return false;
      }
      try {
        Files.writeString(merged.resolve("f"), "upper");
        return Files.readString(lower.resolve("f")).equals("lower");
      } finally {
        unmount(merged);
      }
    } catch (IOException | RuntimeException e) {
      log.debug("No overlay mounts under {}", dir, e);
      return false;
    } finally {
      FileSystemUtils.deleteRecursively(trial.toFile());
    }
  }

  static boolean mount(Path lower, Path upper, Path work, Path merged) {
    if (LinuxCalls.loaded()) {
      try {
        LinuxCalls.mountOverlay(lower, upper, work, merged);
        return true;
      } catch (IOException e) {
        log.debug("{}", e.getMessage());
        return false;
      }
    }
    String options = LinuxCalls.overlayOptions(lower, upper, work);
    return run(
        MOUNT, "-t", "overlay", "overlay", "-o", options, merged.toAbsolutePath().toString());
  }

  /** Unmounts {@code dir} if something is mounted there. */
  static void unmount(Path dir) {
    String target = dir.toAbsolutePath().normalize().toString();
    if (!mountPoints().contains(target)) {
      return;
    }
    if (LinuxCalls.loaded()) {
      try {
        LinuxCalls.unmountLazily(target);
      } catch (IOException e) {
        log.debug("{}", e.getMessage());
      }
      return;
    }
    run(UMOUNT, "-l", target);
  }

  /** Mount points of this process's namespace ({@code /proc/self/mountinfo}, unescaped). */
  static List<String> mountPoints() {
    List<String> points = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String[] fields = line.split(" ");
        if (fields.length > 4) {
          points.add(unescape(fields[4]));
        }
      }
    } catch (IOException | RuntimeException e) {
      log.debug("Could not read the mount table", e);
    }
    return points;
  }

  private static String unescape(String field) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == '\\' && i + 3 < field.length()) {
        out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes());
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      if (process.exitValue() != 0) {
        log.debug("{} failed: {}", String.join(" ", command), output.trim());
        return false;
      }
      return true;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

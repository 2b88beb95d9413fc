package io.gridrun.runner.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step's view of the shared data directory, mounted {@code nosuid,nodev}: a bind mount of the
 * data directory onto a directory of its own with those flags (the bind and its remount as system
 * calls, {@link LinuxCalls}; else one {@code mount --bind -o nosuid,nodev}, which binds and then
 * remounts), which the container then gets as {@code /data} (a bind mount keeps the flags of its
 * source). Docker's own bind options cannot set them, and its {@code local} volume driver applies
 * them only to read-only mounts.
 *
 * <p>Mounting needs the runner to be root on Linux (and the Docker engine to share its mount
 * namespace, as a local engine does). Where it cannot mount, the step gets the data directory as
 * before and the runner says so once in its log; inside the container, set-user-id files and
 * devices stay powerless anyway ({@code no-new-privileges}, every capability dropped).
 */
final class DataView {

  private static final Logger log = LoggerFactory.getLogger(DataView.class);

  /** Views are named {@code p<pid>-<uuid>} after the runner process that mounted them. */
  private static final String OWNER_PREFIX = "p";

  private static final long SELF = ProcessHandle.current().pid();

  private final Path views;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final boolean possible;

  /**
   * @param views the directory under which views are mounted, outside any directory gridrun deletes
   *     recursively; stale views found there (a runner that died) are unmounted
   */
  DataView(Path views, boolean enabled) {
    this.views = views;
    this.possible =
        enabled && isRoot() && (LinuxCalls.loaded() || Files.isExecutable(Path.of("/bin/mount")));
    if (possible) {
      unmountStale();
    }
  }

  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The path to bind as {@code /data}: a nosuid,nodev view of {@code data}, or data itself. */
  Path open(Path data) {
    if (!possible) {
      warnOnce("the runner is not root on Linux");
      return data;
    }
    Path view = views.resolve(OWNER_PREFIX + SELF + "-" + UUID.randomUUID());
    try {
      Files.createDirectories(view);
      if (LinuxCalls.loaded()) {
        if (bound(data, view)) {
          return view;
        }
      } else if (run( // one process: mount(8) binds, then remounts the bind with the flags itself
          "/bin/mount",
          "--bind",
          "-o",
          "nosuid,nodev",
          data.toAbsolutePath().toString(),
          view.toString())) {
        return view;
      }
      close(view);
    } catch (IOException e) {
      log.debug("Could not prepare the data view {}", view, e);
    }
    warnOnce("mount failed");
    return data;
  }

  /** Unmounts and removes a view; the data directory itself is never touched. */
  void close(Path view) {
    if (view == null || !view.startsWith(views)) {
      return;
    }
    if (isMounted(view)) {
      if (LinuxCalls.loaded()) {
        try {
          LinuxCalls.unmountLazily(view.toString());
        } catch (IOException e) {
          log.debug("{}", e.getMessage());
        }
      } else {
        run("/bin/umount", "-l", view.toString());
      }
    }
    try {
      if (!isMounted(view)) {
        Files.deleteIfExists(view); // an empty directory once unmounted; never recursive
      }
    } catch (IOException e) {
      log.debug("Could not remove the data view {}", view, e);
    }
  }

  /**
   * Unmounts the views of runner processes that are gone. The directory is shared by every runner
   * of this host (the default is under the temporary directory), so a live runner's views, whose
   * steps still run, are left alone.
   */
  private void unmountStale() {
    try (var found = Files.list(views)) {
      found.filter(view -> stale(view.getFileName().toString())).forEach(this::close);
    } catch (IOException absent) {
      // no views yet
    }
  }

  /**
   * Whether a view of this name belongs to no live runner process (older names: unknown, so yes).
   */
  static boolean stale(String name) {
    if (!name.startsWith(OWNER_PREFIX) || name.indexOf('-') < 0) {
      return true;
    }
    try {
      long pid = Long.parseLong(name.substring(OWNER_PREFIX.length(), name.indexOf('-')));
      return pid != SELF && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private static boolean isMounted(Path path) {
    try {
      String escaped = path.toAbsolutePath().toString().replace(" ", "\\040");
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" "))
          .anyMatch(fields -> fields.length > 4 && fields[4].equals(escaped));
    } catch (IOException e) {
      return false;
    }
  }

  private void warnOnce(String why) {
    if (warned.compareAndSet(false, true)) {
      log.warn(
          "Steps get /data without nosuid,nodev ({}); mount the data directory nosuid,nodev on"
              + " the host to have them",
          why);
    }
  }

  private static boolean bound(Path data, Path view) {
    try {
      LinuxCalls.bindNoSuidNoDev(data, view);
      return true;
    } catch (IOException e) {
      log.debug("{}", e.getMessage());
      return false;
    }
  }

  private static boolean run(String... command) {
    try {
      Process process =
          new ProcessBuilder(List.of(command))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return false;
      }
      return process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

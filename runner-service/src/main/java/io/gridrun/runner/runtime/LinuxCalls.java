package io.gridrun.runner.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few Linux system calls a runner makes per step and per run, through libc (JNA) instead of
 * spawning {@code kill}, {@code mount} and {@code umount}: each spawn forks the runner's JVM, and a
 * two-step run made six of them, more CPU than its no-op steps' own processes (JFR, 2026-12-02).
 * Callers keep the commands as their fallback where libc cannot be loaded ({@link #loaded()}).
 */
public final class LinuxCalls {

  private static final Logger log = LoggerFactory.getLogger(LinuxCalls.class);
  private static final int SIGKILL = 9;
  private static final int MNT_DETACH = 2;
  private static final long MS_NOSUID = 2;
  private static final long MS_NODEV = 4;
  private static final long MS_REMOUNT = 32;
  private static final long MS_BIND = 4096;

  /** The libc functions used. */
  interface LibC extends Library {
    int kill(int pid, int signal);

    int mount(String source, String target, String type, NativeLong flags, String data)
        throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;
  }

  private static final LibC LIBC = load();

  private LinuxCalls() {}

  private static LibC load() {
    if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      return null;
    }
    try {
      return Native.load("c", LibC.class);
    } catch (LinkageError e) {
      log.info("libc could not be loaded ({}): the runner spawns commands instead", e.toString());
      return null;
    }
  }

  /** Whether the calls below can be made. */
  public static boolean loaded() {
    return LIBC != null;
  }

  /** SIGKILL to every process of the group; a group already empty is not an error. */
  static void killGroup(long groupId) {
    LIBC.kill((int) -groupId, SIGKILL);
  }

  /** An overlay of {@code lower} with {@code upper} as its writable layer, at {@code merged}. */
  public static void mountOverlay(Path lower, Path upper, Path work, Path merged)
      throws IOException {
    String options = overlayOptions(lower, upper, work);
    try {
      LIBC.mount(
          "overlay", merged.toAbsolutePath().toString(), "overlay", new NativeLong(0), options);
    } catch (LastErrorException e) {
      throw new IOException("mount of an overlay at " + merged + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * A bind mount of {@code source} at {@code target} with nosuid,nodev: the bind, then its remount
   * with the flags, as {@code mount --bind -o nosuid,nodev} does; a bind taken down again if the
   * remount fails.
   */
  static void bindNoSuidNoDev(Path source, Path target) throws IOException {
    String at = target.toAbsolutePath().toString();
    try {
      LIBC.mount(source.toAbsolutePath().toString(), at, null, new NativeLong(MS_BIND), null);
    } catch (LastErrorException e) {
      throw new IOException("bind mount at " + at + " failed: " + e.getMessage(), e);
    }
    try {
      LIBC.mount(null, at, null, new NativeLong(MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV), null);
    } catch (LastErrorException e) {
      unmountLazily(at);
      throw new IOException("remount nosuid,nodev of " + at + " failed: " + e.getMessage(), e);
    }
  }

  /** The mount options of an overlay, as {@code mount -o} takes them too. */
  public static String overlayOptions(Path lower, Path upper, Path work) {
    return "lowerdir="
        + lower.toAbsolutePath()
        + ",upperdir="
        + upper.toAbsolutePath()
        + ",workdir="
        + work.toAbsolutePath();
  }

  /** Detaches what is mounted at {@code target} now and cleans it up once unused (umount -l). */
  public static void unmountLazily(String target) throws IOException {
    try {
      LIBC.umount2(target, MNT_DETACH);
    } catch (LastErrorException e) {
      throw new IOException("umount of " + target + " failed: " + e.getMessage(), e);
    }
  }
}

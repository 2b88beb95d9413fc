package io.gridrun.runner.execution;

import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.manifest.Materializer;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * Makes each run's working copy, {@code <run>/project}, which only that run writes to.
 *
 * <p>{@link Mode#OVERLAY}: the snapshot is materialised once per runner into a shared tree, {@code
 * <work>/.snapshots/<manifest hash>}, and each run gets an overlay mount of it: the shared tree is
 * the read-only lower layer, the run's own {@code <run>/.upper} the upper layer. Every write,
 * deletion or rename of a run lands in its upper layer (the kernel copies a file up before it is
 * changed), so the shared tree, and so every other run, never sees it; a run's copy is ready in the
 * time of one mount, whatever the project's size. Docker steps get the mounted directory bound as
 * {@code /project} (the engine shares the runner's mount namespace, as for {@code /data}), the
 * process executor uses it directly. The mount is taken down when the run ends; what the run
 * changed stays in its upper layer until its working copy is released. A runner that dies leaves
 * its runs' mounts in place (a runner started again may resume those runs in them; {@link #remount}
 * mounts one again after a reboot); they go when the run is prepared again or released, or when the
 * next runner on the work directory starts and does not resume the run ({@link
 * #takeDownLeftovers}), and a shared tree is never pruned while a mount uses it. Needs a Linux
 * runner that may mount (root, or {@code CAP_SYS_ADMIN}).
 *
 * <p>{@link Mode#COPY}: every run gets a full copy from the blob store, as before. Hard links were
 * ruled out (a step writing into a linked file would change the shared inode, so the snapshot and
 * the other runs), and so were reflinks (ext4 has none; where the file system has them, a copy is
 * what {@code cp --reflink} would still cost per file, not one mount).
 *
 * <p>{@link Mode#AUTO} (the default) mounts when a trial overlay mount at start-up succeeds, and
 * copies otherwise.
 */
public class RunProjects {

  private static final Logger log = LoggerFactory.getLogger(RunProjects.class);
  static final String PROJECT = "project";
  static final String UPPER = ".upper";
  static final String OVERLAY_WORK = ".overlay-work";

  /** The pid of the runner process that mounted a run's working copy, in the run's directory. */
  static final String MOUNTED_BY = ".mounted-by";

  private static final long SELF = ProcessHandle.current().pid();

  /** How working copies are made. */
  public enum Mode {
    AUTO,
    OVERLAY,
    COPY
  }

  private final BlobStore blobs;
  private final Path trees;
  private final boolean overlay;
  private final int keptTrees;
  private final Integer owner;
  private final Path workDir;
  private final Map<String, Object> treeLocks = new ConcurrentHashMap<>();
  private final Map<String, Integer> treeUsers = new ConcurrentHashMap<>();

  /** Full copies from the blob store. */
  public static RunProjects copies(BlobStore blobs) {
    return new RunProjects(blobs, null, Mode.COPY, 0, null);
  }

  public RunProjects(BlobStore blobs, Path workDir, Mode mode, int keptTrees) {
    this(blobs, workDir, mode, keptTrees, null);
  }

  /**
   * @param workDir the runner's working directory; the shared trees go to {@code .snapshots}
   * @param keptTrees shared trees kept when no run uses them (the most recently used ones)
   * @param owner the uid (and gid) the shared trees and the runs' upper layers are given to, so
   *     that steps running as that user need no change of owner in their copy (which would copy
   *     every file up); null: the runner's own
   */
  public RunProjects(BlobStore blobs, Path workDir, Mode mode, int keptTrees, Integer owner) {
    this.owner = owner;
    this.blobs = blobs;
    this.trees = workDir == null ? null : workDir.toAbsolutePath().resolve(".snapshots");
    this.keptTrees = keptTrees;
    boolean mount = mode != Mode.COPY && trees != null && Overlays.possible(trees);
    if (mode == Mode.OVERLAY && !mount) {
      log.warn("Working copies: overlay mounts are not possible here, every run gets a full copy");
    }
    this.overlay = mount;
    // mounts a runner that died left are kept: a runner started again under its id may resume
    // those runs in them (the others go at its start: takeDownLeftovers)
    this.workDir = workDir == null ? null : workDir.toAbsolutePath();
    log.info(
        "Working copies: {}",
        overlay ? "overlay mounts of snapshots materialised once" : "a full copy per run");
  }

  /** Whether runs get overlay mounts (else full copies). */
  public boolean overlays() {
    return overlay;
  }

  /** Replaces whatever {@code runDir} holds with a fresh working copy of the snapshot. */
  public void prepare(String manifest, Path runDir) throws IOException {
    Path project = runDir.resolve(PROJECT);
    Overlays.unmount(project);
    FileSystemUtils.deleteRecursively(runDir);
    if (!overlay) {
      new Materializer(blobs, 4).materialize(manifest, project);
      return;
    }
    Path tree = tree(manifest); // counted as used from here
    Files.writeString(Files.createDirectories(runDir).resolve(".snapshot"), manifest);
    Files.createDirectories(project);
    giveToOwner(Files.createDirectories(runDir.resolve(UPPER)));
    Files.createDirectories(runDir.resolve(OVERLAY_WORK));
    if (!Overlays.mount(tree, runDir.resolve(UPPER), runDir.resolve(OVERLAY_WORK), project)) {
      treeUsers.merge(manifest, -1, Integer::sum);
      throw new IOException("the overlay mount of the working copy failed");
    }
    mountedHere(runDir);
  }

  /**
   * Mounts a run's working copy again from its upper layer if it is not mounted (after a reboot,
   * say), for a run that is resumed rather than prepared anew; false when there is none to mount.
   */
  public boolean remount(Path runDir) throws IOException {
    Path project = runDir.resolve(PROJECT);
    Path marker = runDir.resolve(".snapshot");
    if (!overlay || !Files.exists(marker) || !Files.isDirectory(runDir.resolve(UPPER))) {
      return false;
    }
    if (Overlays.mountPoints().contains(project.toAbsolutePath().normalize().toString())) {
      return true;
    }
    String manifest = Files.readString(marker);
    Path tree = tree(manifest);
    Files.createDirectories(project);
    boolean mounted =
        Overlays.mount(tree, runDir.resolve(UPPER), runDir.resolve(OVERLAY_WORK), project);
    if (mounted) {
      mountedHere(runDir);
    }
    return mounted;
  }

  /**
   * Takes down the working-copy mounts under this runner's work directory whose runs it does not
   * resume ({@code resumed}, run ids): a runner process that died here (killed, crashed) left them
   * for a successor that resumes its runs, and this one does not. Called once at start, before any
   * run is prepared. A mount made by another live process (a runner sharing the work directory,
   * named in the run's {@value #MOUNTED_BY}) is left alone, and so is every mount outside the work
   * directory. What the runs changed stays in their upper layers until their working copies are
   * released or prepared again.
   *
   * @return the mounts taken down
   */
  public int takeDownLeftovers(java.util.Set<String> resumed) {
    if (!overlay) {
      return 0;
    }
    Path root = realPath(workDir);
    int taken = 0;
    for (String point : Overlays.mountPoints()) {
      Path mount = Path.of(point);
      Path runDir = mount.getParent();
      if (runDir == null
          || !root.equals(runDir.getParent())
          || !mount.getFileName().toString().equals(PROJECT)
          || resumed.contains(runDir.getFileName().toString())
          || mountedByALiveProcess(runDir)) {
        continue;
      }
      log.info(
          "Taking down the working copy mount of run {}, which no runner resumes here",
          runDir.getFileName());
      Overlays.unmount(mount);
      taken++;
    }
    return taken;
  }

  private static boolean mountedByALiveProcess(Path runDir) {
    try {
      long pid = Long.parseLong(Files.readString(runDir.resolve(MOUNTED_BY)).trim());
      return pid == SELF || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | RuntimeException unknown) {
      return false; // mounted before owners were recorded, or by nobody known: left over
    }
  }

  private static Path realPath(Path dir) {
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      return dir.normalize();
    }
  }

  private static void mountedHere(Path runDir) {
    try {
      Files.writeString(runDir.resolve(MOUNTED_BY), Long.toString(SELF));
    } catch (IOException e) {
      log.debug("Could not record who mounted {}", runDir, e);
    }
  }

  /** The run ended: its overlay is unmounted (its changes stay in its upper layer). */
  public void release(Path runDir) {
    if (!overlay) {
      return;
    }
    Overlays.unmount(runDir.resolve(PROJECT));
    try {
      Path marker = runDir.resolve(".snapshot");
      if (Files.exists(marker)) {
        String manifest = Files.readString(marker);
        treeUsers.computeIfPresent(manifest, (k, n) -> n <= 1 ? null : n - 1);
      }
    } catch (IOException e) {
      log.debug("Could not read the snapshot of {}", runDir, e);
    }
    prune();
  }

  /**
   * The shared tree of a snapshot, materialised by the first run that needs it, and counted as used
   * by one more run (under the lock that pruning takes too).
   */
  private Path tree(String manifest) throws IOException {
    Path tree = trees.resolve(manifest);
    synchronized (treeLocks.computeIfAbsent(manifest, k -> new Object())) {
      if (!Files.isDirectory(tree)) {
        Path temp = trees.resolve(".tmp-" + manifest + "-" + System.nanoTime());
        try {
          new Materializer(blobs, 4).materialize(manifest, temp);
          if (owner != null) {
            try (var paths = Files.walk(temp)) {
              for (Path p : paths.toList()) {
                giveToOwner(p);
              }
            }
          }
          try {
            Files.move(temp, tree, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
            Files.move(temp, tree);
          }
        } finally {
          FileSystemUtils.deleteRecursively(temp);
        }
      }
      treeUsers.merge(manifest, 1, Integer::sum);
    }
    Files.setLastModifiedTime(
        tree, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
    return tree;
  }

  /** Snapshots under working copies mounted now (by this runner or one that died). */
  private java.util.Set<String> mountedTrees() {
    java.util.Set<String> trees = new java.util.HashSet<>();
    String prefix = workDir + "/";
    for (String point : Overlays.mountPoints()) {
      if (point.startsWith(prefix) && point.endsWith("/" + PROJECT)) {
        try {
          trees.add(Files.readString(Path.of(point).resolveSibling(".snapshot")));
        } catch (IOException | RuntimeException unknown) {
          // not one of ours
        }
      }
    }
    return trees;
  }

  private void giveToOwner(Path path) throws IOException {
    if (owner != null) {
      Files.setAttribute(path, "unix:uid", owner, java.nio.file.LinkOption.NOFOLLOW_LINKS);
      Files.setAttribute(path, "unix:gid", owner, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }
  }

  /** Deletes the least recently used shared trees no run is using, beyond {@code keptTrees}. */
  private void prune() {
    try (var stream = Files.list(trees)) {
      List<Path> idle = new ArrayList<>();
      java.util.Set<String> mounted = mountedTrees();
      for (Path p : stream.toList()) {
        String name = p.getFileName().toString();
        if (!name.startsWith(".") && !treeUsers.containsKey(name) && !mounted.contains(name)) {
          idle.add(p);
        }
      }
      if (idle.size() <= keptTrees) {
        return;
      }
      idle.sort(
          (a, b) -> Long.compare(a.toFile().lastModified(), b.toFile().lastModified())); // oldest
      for (Path p : idle.subList(0, idle.size() - keptTrees)) {
        String name = p.getFileName().toString();
        synchronized (treeLocks.computeIfAbsent(name, k -> new Object())) {
          if (!treeUsers.containsKey(name)) {
            FileSystemUtils.deleteRecursively(p);
          }
        }
      }
    } catch (IOException e) {
      log.debug("Could not prune the snapshot trees", e);
    }
  }
}

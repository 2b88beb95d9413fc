package io.gridrun.storage.manifest;

import io.gridrun.common.pipeline.ProjectPaths;
import io.gridrun.storage.blob.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds a writable working copy of a snapshot: files are copied from the blob store in parallel,
 * with a bounded number in flight, while the manifest is streamed.
 */
public class Materializer {

  private final BlobStore store;
  private final int parallelism;

  public Materializer(BlobStore store, int parallelism) {
    this.store = store;
    this.parallelism = Math.max(1, parallelism);
  }

  /** Materialises the snapshot whose manifest is {@code manifestHash} into {@code target}. */
  public void materialize(String manifestHash, Path target) throws IOException {
    Files.createDirectories(target);
    Path root = target.toAbsolutePath().normalize();
    Semaphore inFlight = new Semaphore(parallelism * 4);
    AtomicReference<IOException> failure = new AtomicReference<>();
    List<ManifestEntry> links = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try {
      Manifests.forEach(
          store,
          manifestHash,
          entry -> {
            if (failure.get() != null) {
              return;
            }
            Path path = resolveInside(root, entry.path());
            switch (entry.type()) {
              case ManifestEntry.DIR -> run(() -> Files.createDirectories(path), failure);
              case ManifestEntry.LINK -> links.add(entry);
              default -> {
                inFlight.acquireUninterruptibly();
                pool.submit(
                    () -> {
                      try {
                        Files.createDirectories(path.getParent());
                        store.copyTo(entry.hash(), path);
                        applyMode(path, entry.mode());
                      } catch (IOException e) {
                        failure.compareAndSet(null, e);
                      } finally {
                        inFlight.release();
                      }
                    });
              }
            }
          });
    } finally {
      pool.shutdown();
      awaitQuietly(pool);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
    try {
      for (ManifestEntry link : links) {
        Path path = resolveInside(root, link.path());
        Path linked = path.getParent().resolve(link.target()).normalize();
        resolveInside(root, root.relativize(linked).toString());
        Files.createDirectories(path.getParent());
        Files.createSymbolicLink(path, Path.of(link.target()));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Path resolveInside(Path root, String relative) {
    if (!ProjectPaths.isSafeRelative(relative)) {
      throw new UncheckedIOException(
          new IOException("manifest path '" + relative + "' leaves the working copy"));
    }
    Path resolved = root.resolve(relative).normalize();
    if (!resolved.startsWith(root)) {
      throw new UncheckedIOException(
          new IOException("manifest path '" + relative + "' leaves the working copy"));
    }
    return resolved;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private static void run(IoAction action, AtomicReference<IOException> failure) {
    try {
      action.run();
    } catch (IOException e) {
      failure.compareAndSet(null, e);
    }
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      while (!pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
        // keep waiting: a huge snapshot may take long
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Applies POSIX permission bits where the file system supports them. */
  public static void applyMode(Path path, Integer mode) throws IOException {
    if (mode == null) {
      return;
    }
    try {
      Files.setPosixFilePermissions(path, permissions(mode));
    } catch (UnsupportedOperationException notPosix) {
      // e.g. on Windows: modes are informative only
    }
  }

  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < order.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(order[bit]);
      }
    }
    return permissions;
  }

  public static int mode(Set<PosixFilePermission> permissions) {
    int mode = 0;
    for (PosixFilePermission p : permissions) {
      mode |=
          switch (p) {
            case OTHERS_EXECUTE -> 1;
            case OTHERS_WRITE -> 2;
            case OTHERS_READ -> 4;
            case GROUP_EXECUTE -> 8;
            case GROUP_WRITE -> 16;
            case GROUP_READ -> 32;
            case OWNER_EXECUTE -> 64;
            case OWNER_WRITE -> 128;
            case OWNER_READ -> 256;
          };
    }
    return mode;
  }
}

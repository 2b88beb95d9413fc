package io.gridrun.snapshot.snapshot;

import io.gridrun.common.ignore.GitIgnore;
import io.gridrun.snapshot.project.LinkTargets;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.blob.StoredBlob;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import io.gridrun.storage.manifest.Materializer;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Copies a project into the content-addressed blob store: each file's bytes once, under their
 * SHA-256, so an unchanged file costs nothing; the snapshot itself is a manifest blob. Leaves out
 * {@code data/} at the root, {@code .git/} and what the project's {@code .gitignore} files ignore.
 * A symbolic link is kept as a link when it stays inside the project; one that leaves it fails the
 * snapshot. Special files are skipped and listed. With a {@link StatCache}, a file whose size,
 * modification time, change time and inode are those of the last snapshot is not read again: its
 * hash is taken from the cache (when the blob is still stored).
 */
public class ProjectCopier {

  /** Limits a snapshot must stay within. */
  public record Limits(long maxFiles, long maxTotalBytes) {}

  private final BlobStore blobs;
  private final Limits limits;
  private final StatCache statCache;

  public ProjectCopier(BlobStore blobs, Limits limits) {
    this(blobs, limits, null);
  }

  /**
   * @param statCache the hashes of the files of earlier snapshots; null: every file is read
   */
  public ProjectCopier(BlobStore blobs, Limits limits, StatCache statCache) {
    this.blobs = blobs;
    this.limits = limits;
    this.statCache = statCache;
  }

  public SnapshotContent copy(Path project) throws SnapshotFailure, IOException {
    return copy(project, false);
  }

  /**
   * @param rehash read every file even if the stat cache says it is unchanged
   */
  public SnapshotContent copy(Path project, boolean rehash) throws SnapshotFailure, IOException {
    // the real path, so that a project directory that is itself a link is walked, not recorded
    Path root = project.toRealPath();
    StatCache.Scan cache = statCache == null ? null : statCache.open(root, rehash);
    GitIgnore ignore = new GitIgnore();
    List<String> skipped = new ArrayList<>();
    long[] counts = new long[3]; // files, total bytes, new bytes
    BlobStore.Batch batch = blobs.batch();
    try (Manifests.Writer manifest = new Manifests.Writer()) {
      try {
        Files.walkFileTree(
            root,
            new SimpleFileVisitor<>() {
              @Override
              public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
                  throws IOException {
                String path = relative(root, dir);
                if (!path.isEmpty() && excluded(path, true, ignore)) {
                  return FileVisitResult.SKIP_SUBTREE;
                }
                Path gitignore = dir.resolve(".gitignore");
                if (Files.isRegularFile(gitignore, LinkOption.NOFOLLOW_LINKS)) {
                  ignore.add(path, Files.readString(gitignore));
                }
                if (!path.isEmpty() && isEmpty(dir)) {
                  manifest.add(ManifestEntry.dir(path, mode(dir)));
                }
                return FileVisitResult.CONTINUE;
              }

              @Override
              public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                  throws IOException {
                String path = relative(root, file);
                if (excluded(path, false, ignore)) {
                  return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink()) {
                  manifest.add(ManifestEntry.link(path, linkTarget(root, file, path)));
                } else if (attrs.isRegularFile()) {
                  counts[0]++;
                  counts[1] += attrs.size();
                  checkLimits(counts[0], counts[1]);
                  Map<String, Object> unix = unixAttributes(file);
                  String hash = cache == null ? null : cached(cache, path, attrs, unix);
                  long size = attrs.size();
                  if (hash == null) {
                    StoredBlob blob = batch.put(file);
                    if (blob.created()) {
                      counts[2] += blob.size();
                    }
                    hash = blob.hash();
                    size = blob.size();
                    if (cache != null) {
                      cache.record(path, stat(attrs, unix), hash);
                    }
                  }
                  manifest.add(ManifestEntry.file(path, mode(file, unix), size, hash));
                } else if (attrs.isOther()) {
                  skipped.add(path);
                }
                return FileVisitResult.CONTINUE;
              }
            });
      } catch (WrappedFailure e) {
        throw e.failure;
      }
      // every blob on disk before the manifest that names them exists
      batch.sync();
      String hash = manifest.store(blobs).hash();
      if (cache != null) {
        cache.save();
      }
      return new SnapshotContent(hash, counts[0], counts[1], counts[2], skipped, ignore.warnings());
    }
  }

  /**
   * The cached hash of an unchanged file whose blob is still stored (and marked used now, as a
   * re-put would, so a collection running meanwhile keeps it, unless its last mark is more recent
   * than the cache's mark interval); null: read the file.
   */
  private String cached(
      StatCache.Scan cache, String path, BasicFileAttributes attrs, Map<String, Object> unix) {
    StatCache.Stat stat = stat(attrs, unix);
    String hash = cache.lookup(path, stat);
    if (hash == null || !blobs.reuse(hash, attrs.size(), statCache.markInterval())) {
      return null;
    }
    cache.record(path, stat, hash);
    return hash;
  }

  private void checkLimits(long files, long bytes) {
    if (files > limits.maxFiles()) {
      throw new WrappedFailure(
          new SnapshotFailure(
              "the project has more than "
                  + limits.maxFiles()
                  + " files, the snapshot limit (gridrun.snapshot.max-files)"));
    }
    if (bytes > limits.maxTotalBytes()) {
      throw new WrappedFailure(
          new SnapshotFailure(
              "the project is larger than "
                  + limits.maxTotalBytes()
                  + " bytes, the snapshot limit (gridrun.snapshot.max-total-bytes)"));
    }
  }

  private static boolean excluded(String path, boolean directory, GitIgnore ignore) {
    if (directory && (path.equals("data") || path.equals(".git") || path.endsWith("/.git"))) {
      return true;
    }
    return ignore.isIgnored(path, directory);
  }

  private static String linkTarget(Path root, Path link, String path) throws IOException {
    Path target = Files.readSymbolicLink(link);
    boolean inside;
    try {
      inside = LinkTargets.staysInside(root, link);
    } catch (LinkTargets.TooManyLinks loop) {
      throw new WrappedFailure(
          new SnapshotFailure(
              "the link '" + path + "' cannot be resolved: too many levels of symbolic links"));
    }
    if (!inside) {
      throw new WrappedFailure(
          new SnapshotFailure(
              "the link '" + path + "' points outside the project (to '" + target + "')"));
    }
    return target.toString().replace('\\', '/');
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Mode and change time in one {@code lstat}; empty where the system has no unix view. */
  private static Map<String, Object> unixAttributes(Path file) {
    try {
      return Files.readAttributes(file, "unix:mode,ctime", LinkOption.NOFOLLOW_LINKS);
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException notUnix) {
      return Map.of();
    }
  }

  private static StatCache.Stat stat(BasicFileAttributes attrs, Map<String, Object> unix) {
    Object ctime = unix.get("ctime");
    return StatCache.Stat.of(attrs, ctime instanceof FileTime time ? StatCache.nanos(time) : -1);
  }

  private static int mode(Path file, Map<String, Object> unix) throws IOException {
    Object mode = unix.get("mode");
    return mode instanceof Integer bits ? bits & 0777 : mode(file);
  }

  private static int mode(Path path) throws IOException {
    try {
      return Materializer.mode(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    } catch (UnsupportedOperationException notPosix) {
      return Files.isExecutable(path) ? 0755 : 0644;
    }
  }

  private static String relative(Path root, Path path) {
    return root.relativize(path).toString().replace('\\', '/');
  }

  /** Carries a snapshot failure out of the file visitor. */
  private static final class WrappedFailure extends RuntimeException {
    private final SnapshotFailure failure;

    WrappedFailure(SnapshotFailure failure) {
      super(failure.getMessage(), null, false, false);
      this.failure = failure;
    }
  }
}

package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.ProjectPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.springframework.util.FileSystemUtils;

/**
 * Replaces a project with the content of a {@code .tar.gz}, all or nothing: the archive is unpacked
 * into a staging directory beside the projects and only then moved into place; a refused archive
 * leaves no trace and the previous version as it was.
 *
 * <p>Every entry is placed against the real (link-resolved) path of its parent directory, which
 * must lie inside the staging directory, and is written without following links (a new file, a new
 * link, a new directory): a chain such as {@code a/up -> ..}, {@code a/up/x -> ../..}, {@code
 * a/up/x/file} is refused at the second link. A symbolic link must stay inside the project once
 * resolved through the links before it; a hard link may only name a regular file earlier in the
 * same archive. Limits ({@link UploadLimits}) are counted as the data streams in. Uploads of one
 * project run one at a time.
 */
public class ProjectUpload {

  /** An archive that is refused; the message says why. */
  public static class Refused extends Exception {
    private final boolean tooLarge;

    public Refused(String reason) {
      this(reason, false);
    }

    public Refused(String reason, boolean tooLarge) {
      super(reason);
      this.tooLarge = tooLarge;
    }

    /** A size limit was passed (413), rather than a malformed or unsafe archive (400). */
    public boolean tooLarge() {
      return tooLarge;
    }
  }

  /** What the upload put in place. */
  public record Result(String name, long files, long bytes) {}

  private final Path root;
  private final UploadLimits limits;
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  public ProjectUpload(Path root, long maxBytes) {
    this(
        root,
        new UploadLimits(
            UploadLimits.DEFAULT.maxCompressedBytes(),
            maxBytes,
            UploadLimits.DEFAULT.maxEntries(),
            UploadLimits.DEFAULT.maxPathLength()));
  }

  public ProjectUpload(Path root, UploadLimits limits) {
    this.root = root.toAbsolutePath().normalize();
    this.limits = limits;
  }

  public UploadLimits limits() {
    return limits;
  }

  public Result replace(String name, InputStream tarGz) throws Refused, IOException {
    if (!ProjectPaths.isSafeName(name)) {
      throw new Refused("'" + name + "' is not a valid project name");
    }
    Files.createDirectories(root);
    ReentrantLock lock = locks.computeIfAbsent(name, n -> new ReentrantLock());
    lock.lock();
    try {
      Path staging = root.resolve(".upload-" + UUID.randomUUID());
      try {
        Files.createDirectory(staging);
        Result result = unpack(name, tarGz, staging.toRealPath());
        swapIn(staging, root.resolve(name));
        return result;
      } finally {
        FileSystemUtils.deleteRecursively(staging);
      }
    } finally {
      lock.unlock();
    }
  }

  private Result unpack(String name, InputStream tarGz, Path staging) throws Refused, IOException {
    ArchiveEntries unpacking = new ArchiveEntries(staging, limits);
    LimitedStream compressed =
        new LimitedStream(
            tarGz,
            limits.maxCompressedBytes(),
            new Refused(
                "the archive is larger than "
                    + limits.maxCompressedBytes()
                    + " bytes as sent, the limit (gridrun.snapshot.max-upload-compressed-bytes)",
                true));
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new LimitedStream(
                new GzipCompressorInputStream(compressed),
                limits.maxTarStreamBytes(),
                ArchiveEntries.tooLarge(limits)))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        unpacking.entry(tar, entry);
      }
    } catch (IOException | IllegalArgumentException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof LimitedStream.Exceeded exceeded) {
          throw exceeded.refused;
        }
      }
      if (unpacking.entries() == 0) {
        throw new Refused("the body is not a .tar.gz archive");
      }
      throw new Refused("the archive is damaged after " + unpacking.entries() + " entries");
    }
    return new Result(name, unpacking.files(), unpacking.bytes());
  }

  /** The new version takes the project's place; the old one is removed only after that. */
  private void swapIn(Path staging, Path project) throws IOException {
    Path old = root.resolve(".replaced-" + UUID.randomUUID());
    boolean existed = Files.exists(project, LinkOption.NOFOLLOW_LINKS);
    if (existed) {
      Files.move(project, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(staging, project, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (existed) {
        Files.move(old, project, StandardCopyOption.ATOMIC_MOVE);
      }
      throw e;
    }
    FileSystemUtils.deleteRecursively(old);
  }
}

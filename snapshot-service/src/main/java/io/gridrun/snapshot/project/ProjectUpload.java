package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.ProjectPaths;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
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

  /** One archive's unpacking state. */
  private final class Unpacking {
    private final Path staging;
    private final Map<String, Path> regularFiles = new HashMap<>();
    private long entries;
    private long files;
    private long bytes;

    Unpacking(Path staging) {
      this.staging = staging;
    }

    void entry(TarArchiveInputStream tar, TarArchiveEntry entry) throws Refused, IOException {
      if (++entries > limits.maxEntries()) {
        throw new Refused(
            "the archive has more than "
                + limits.maxEntries()
                + " entries, the limit (gridrun.snapshot.max-upload-entries)",
            true);
      }
      String shown = entry.getName();
      checkLength(shown);
      String path = shown.replaceFirst("^(\\./)+", "").replaceFirst("/+$", "");
      if (path.isEmpty() || path.equals(".")) {
        return;
      }
      if (!ProjectPaths.isSafeRelative(path)) {
        throw new Refused("'" + shown + "' is an absolute path or leaves the project (..)");
      }
      if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
        throw new Refused(
            "'"
                + shown
                + "' is a device or fifo; only files, directories and links may be uploaded");
      }
      int slash = path.lastIndexOf('/');
      Path parent = directory(slash < 0 ? "" : path.substring(0, slash), shown);
      Path target = parent.resolve(path.substring(slash + 1));
      if (entry.isDirectory()) {
        directory(path, shown);
      } else if (entry.isSymbolicLink()) {
        symbolicLink(entry, target, shown);
      } else if (entry.isLink()) {
        hardLink(entry, target, shown);
        regularFiles.put(path, target);
      } else if (entry.isFile()) {
        replaceable(target, shown);
        bytes += copy(tar, target);
        files++;
        if ((entry.getMode() & 0100) != 0) {
          target.toFile().setExecutable(true, false);
        }
        regularFiles.put(path, target);
      } else {
        throw new Refused("'" + shown + "' is not a file, directory or link");
      }
    }

    private void checkLength(String path) throws Refused {
      if (path.length() > limits.maxPathLength()) {
        throw new Refused(
            "the path '"
                + path.substring(0, Math.min(40, path.length()))
                + "…' is longer than "
                + limits.maxPathLength()
                + " characters, the limit (gridrun.snapshot.max-upload-path-length)");
      }
    }

    /**
     * The real path of directory {@code path}, created one segment at a time without following a
     * link at the last step; a segment that is a link is resolved and must stay inside.
     */
    private Path directory(String path, String shown) throws Refused, IOException {
      Path current = staging;
      if (path.isEmpty()) {
        return current;
      }
      for (String segment : path.split("/")) {
        Path next = current.resolve(segment);
        BasicFileAttributes attrs = attributes(next);
        if (attrs == null) {
          Files.createDirectory(next);
        } else if (attrs.isSymbolicLink()) {
          next = next.toRealPath();
          if (!next.startsWith(staging) || !Files.isDirectory(next, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused("'" + shown + "' leads outside the project through a link");
          }
        } else if (!attrs.isDirectory()) {
          throw new Refused("'" + shown + "' lies under a file, not a directory");
        }
        current = next;
      }
      return current;
    }

    private void symbolicLink(TarArchiveEntry entry, Path target, String shown)
        throws Refused, IOException {
      String linkName = entry.getLinkName();
      checkLength(linkName);
      Path link = Path.of(linkName);
      Refused outside =
          new Refused(
              "the link '" + shown + "' points outside the project (to '" + linkName + "')");
      if (link.isAbsolute()
          || linkName.indexOf('\0') >= 0
          || !target.getParent().resolve(link).normalize().startsWith(staging)) {
        throw outside;
      }
      replaceable(target, shown);
      Files.createSymbolicLink(target, link);
      boolean inside;
      try {
        inside = LinkTargets.staysInside(staging, target);
      } catch (LinkTargets.TooManyLinks loop) {
        inside = false;
      }
      if (!inside) {
        throw outside;
      }
    }

    private void hardLink(TarArchiveEntry entry, Path target, String shown)
        throws Refused, IOException {
      String linked = entry.getLinkName().replaceFirst("^(\\./)+", "");
      checkLength(linked);
      Path source = regularFiles.get(linked);
      if (source == null
          || !Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)
          || source.equals(target)) {
        throw new Refused(
            "the hard link '"
                + shown
                + "' does not name a regular file earlier in the archive ('"
                + entry.getLinkName()
                + "')");
      }
      replaceable(target, shown);
      try (InputStream in = Files.newInputStream(source, LinkOption.NOFOLLOW_LINKS)) {
        bytes += copy(in, target);
      }
      files++;
      if (Files.isExecutable(source)) {
        target.toFile().setExecutable(true, false);
      }
    }

    /** Clears the way for a new entry: an earlier regular file or link of the name goes. */
    private void replaceable(Path target, String shown) throws Refused, IOException {
      BasicFileAttributes attrs = attributes(target);
      if (attrs == null) {
        return;
      }
      if (attrs.isDirectory()) {
        throw new Refused("'" + shown + "' is a directory earlier in the archive");
      }
      Files.delete(target); // the link itself, never what it points to
    }

    private long copy(InputStream in, Path target) throws IOException, Refused {
      long written = 0;
      byte[] buffer = new byte[64 * 1024];
      try (OutputStream out =
          Files.newOutputStream(
              target,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE,
              LinkOption.NOFOLLOW_LINKS)) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          written += n;
          if (bytes + written > limits.maxBytes()) {
            throw tooLarge();
          }
          out.write(buffer, 0, n);
        }
      } catch (FileAlreadyExistsException e) {
        throw new Refused("'" + staging.relativize(target) + "' appears twice in the archive");
      }
      return written;
    }
  }

  private Refused tooLarge() {
    return new Refused(
        "the project is larger than the upload limit of "
            + limits.maxBytes()
            + " bytes unpacked (gridrun.snapshot.max-upload-bytes)",
        true);
  }

  private static BasicFileAttributes attributes(Path path) throws IOException {
    try {
      return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException absent) {
      return null;
    }
  }

  private Result unpack(String name, InputStream tarGz, Path staging) throws Refused, IOException {
    Unpacking unpacking = new Unpacking(staging);
    Limited compressed =
        new Limited(
            tarGz,
            limits.maxCompressedBytes(),
            new Refused(
                "the archive is larger than "
                    + limits.maxCompressedBytes()
                    + " bytes as sent, the limit (gridrun.snapshot.max-upload-compressed-bytes)",
                true));
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(
            new Limited(
                new GzipCompressorInputStream(compressed),
                limits.maxTarStreamBytes(),
                tooLarge()))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        unpacking.entry(tar, entry);
      }
    } catch (IOException | IllegalArgumentException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof Limited.Exceeded exceeded) {
          throw exceeded.refused;
        }
      }
      if (unpacking.entries == 0) {
        throw new Refused("the body is not a .tar.gz archive");
      }
      throw new Refused("the archive is damaged after " + unpacking.entries + " entries");
    }
    return new Result(name, unpacking.files, unpacking.bytes);
  }

  /** Refuses a stream once more than a limit has been read from it. */
  static final class Limited extends FilterInputStream {

    static final class Exceeded extends IOException {
      final transient Refused refused;

      Exceeded(Refused refused) {
        super(refused.getMessage(), null);
        this.refused = refused;
      }
    }

    private final long max;
    private final Refused refused;
    private long read;

    Limited(InputStream in, long max, Refused refused) {
      super(in);
      this.max = max;
      this.refused = refused;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long n) throws Exceeded {
      read += n;
      if (read > max) {
        throw new Exceeded(refused);
      }
    }
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

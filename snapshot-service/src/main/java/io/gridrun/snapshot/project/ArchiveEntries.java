package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.ProjectPaths;
import io.gridrun.snapshot.project.ProjectUpload.Refused;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One archive's unpacking into a staging directory (see {@link ProjectUpload}): each entry placed
 * against the real path of its parent, links checked, limits counted as the data streams in.
 */
final class ArchiveEntries {
  private final Path staging;
  private final UploadLimits limits;
  private final Map<String, Path> regularFiles = new HashMap<>();
  private long entries;
  private long files;
  private long bytes;

  ArchiveEntries(Path staging, UploadLimits limits) {
    this.staging = staging;
    this.limits = limits;
  }

  long entries() {
    return entries;
  }

  long files() {
    return files;
  }

  long bytes() {
    return bytes;
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
          "'" + shown + "' is a device or fifo; only files, directories and links may be uploaded");
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
   * The real path of directory {@code path}, created one segment at a time without following a link
   * at the last step; a segment that is a link is resolved and must stay inside.
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
        new Refused("the link '" + shown + "' points outside the project (to '" + linkName + "')");
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
          throw tooLarge(limits);
        }
        out.write(buffer, 0, n);
      }
    } catch (FileAlreadyExistsException e) {
      throw new Refused("'" + staging.relativize(target) + "' appears twice in the archive");
    }
    return written;
  }

  static Refused tooLarge(UploadLimits limits) {
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
}

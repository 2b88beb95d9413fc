package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.ProjectPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Replaces a project with the content of a {@code .tar.gz}, all or nothing: the archive is unpacked
 * into a staging directory beside the projects, checked entry by entry (no absolute paths, no
 * {@code ..}, no link leading outside, no devices, a size limit), and only then swapped in. A
 * refused upload leaves the previous version of the project as it was.
 */
public class ProjectUpload {

  /** An archive that is refused; the message says why. */
  public static class Refused extends Exception {
    public Refused(String reason) {
      super(reason);
    }
  }

  /** What the upload put in place. */
  public record Result(String name, long files, long bytes) {}

  private final Path root;
  private final long maxBytes;

  public ProjectUpload(Path root, long maxBytes) {
    this.root = root.toAbsolutePath().normalize();
    this.maxBytes = maxBytes;
  }

  public Result replace(String name, InputStream tarGz) throws Refused, IOException {
    if (!ProjectPaths.isSafeName(name)) {
      throw new Refused("'" + name + "' is not a valid project name");
    }
    Files.createDirectories(root);
    Path staging = root.resolve(".upload-" + UUID.randomUUID());
    try {
      Files.createDirectories(staging);
      Result result = unpack(name, tarGz, staging);
      swapIn(staging, root.resolve(name));
      return result;
    } finally {
      deleteRecursively(staging);
    }
  }

  private Result unpack(String name, InputStream tarGz, Path staging) throws Refused, IOException {
    long files = 0;
    long bytes = 0;
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GzipCompressorInputStream(tarGz))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        String path = entry.getName().replaceFirst("^\\./", "");
        if (path.isEmpty() || path.equals(".")) {
          continue;
        }
        Path target = inside(staging, path, entry.getName());
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
          throw new Refused(
              "'"
                  + entry.getName()
                  + "' is a device or fifo; only files, directories and links may be uploaded");
        } else if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
          Path link = Path.of(entry.getLinkName());
          if (link.isAbsolute()
              || !target.getParent().resolve(link).normalize().startsWith(staging)) {
            throw new Refused(
                "the link '"
                    + entry.getName()
                    + "' points outside the project (to '"
                    + entry.getLinkName()
                    + "')");
          }
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, link);
        } else if (entry.isLink()) {
          Path linked = inside(staging, entry.getLinkName(), entry.getLinkName());
          Files.createDirectories(target.getParent());
          Files.copy(linked, target);
        } else if (entry.isFile()) {
          Files.createDirectories(target.getParent());
          bytes += copyLimited(tar, target, maxBytes - bytes);
          files++;
          if ((entry.getMode() & 0100) != 0) {
            target.toFile().setExecutable(true, false);
          }
        } else {
          throw new Refused("'" + entry.getName() + "' is not a file, directory or link");
        }
      }
    } catch (IOException e) {
      if (files == 0 && bytes == 0) {
        throw new Refused("the body is not a .tar.gz archive: " + e.getMessage());
      }
      throw new Refused("the archive is damaged: " + e.getMessage());
    }
    return new Result(name, files, bytes);
  }

  private static Path inside(Path staging, String path, String shown) throws Refused {
    if (!ProjectPaths.isSafeRelative(path.replaceFirst("/$", ""))) {
      throw new Refused("'" + shown + "' is an absolute path or leaves the project (..)");
    }
    Path target = staging.resolve(path).normalize();
    if (!target.startsWith(staging)) {
      throw new Refused("'" + shown + "' leaves the project");
    }
    return target;
  }

  private long copyLimited(InputStream in, Path target, long allowed) throws IOException, Refused {
    long written = 0;
    byte[] buffer = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(target)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        written += n;
        if (written > allowed) {
          throw new Refused(
              "the project is larger than the upload limit of " + maxBytes + " bytes");
        }
        out.write(buffer, 0, n);
      }
    }
    return written;
  }

  /** The new version takes the project's place; the old one is removed only after that. */
  private void swapIn(Path staging, Path project) throws IOException {
    Path old = root.resolve(".replaced-" + UUID.randomUUID());
    boolean existed = Files.exists(project);
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
    deleteRecursively(old);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

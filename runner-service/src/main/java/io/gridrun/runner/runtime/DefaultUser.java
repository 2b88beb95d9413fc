package io.gridrun.runner.runtime;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user a step's container runs as when its pipeline names none: never root where that can be
 * avoided, and always one who can write the step's working copy and outputs.
 *
 * <ul>
 *   <li>a runner that is not root runs containers as its own uid:gid, which owns the working copy;
 *   <li>a root runner runs them as {@code 65534:65534} (nobody) when the image's {@code
 *       /etc/passwd} has that user, and hands the working copy, the step's {@code /gridrun} and the
 *       top of the data directory to it first;
 *   <li>otherwise the image's own user.
 * </ul>
 */
final class DefaultUser {

  private static final Logger log = LoggerFactory.getLogger(DefaultUser.class);
  static final int NOBODY = 65534;

  private final DockerClient docker;
  private final Map<String, String> labels;
  private final Map<String, Boolean> hasNobody = new ConcurrentHashMap<>();
  private final Optional<String> runnerUser = runnerUser();

  /**
   * @param labels put on the short-lived container that reads an image's users, so that a runner
   *     dying meanwhile leaves nothing another one does not remove
   */
  DefaultUser(DockerClient docker, Map<String, String> labels) {
    this.docker = docker;
    this.labels = Map.copyOf(labels);
  }

  private static Optional<String> runnerUser() {
    try {
      int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
      return uid == 0 ? Optional.empty() : Optional.of(uid + ":" + gid);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The user for a step of {@code image} without one of its own; null = the image's. */
  String choose(String image, StepWorkspace ws, Path dataSource) {
    if (runnerUser.isPresent()) {
      return runnerUser.get();
    }
    Boolean nobody = hasNobody.get(image);
    if (nobody == null) {
      Optional<Boolean> read = imageHasNobody(image);
      if (read.isEmpty()) {
        return null; // the engine failed: ask again next time
      }
      nobody = read.get();
      hasNobody.put(image, nobody); // an image id's files never change
    }
    if (!nobody) {
      try {
        handBack(ws.project()); // the image's own user (root, say) writes it then
      } catch (IOException e) {
        log.warn("Could not hand the working copy back to root: {}", e.getMessage());
      }
      return null;
    }
    try {
      handOver(ws.project(), true);
      handOver(ws.gridrun(), true);
      handOver(dataSource, false);
    } catch (IOException e) {
      log.warn("Could not hand the step's directories to user {}: {}", NOBODY, e.getMessage());
      return null;
    }
    return NOBODY + ":" + NOBODY;
  }

  /**
   * Gives {@code dir} (and with {@code recursive} what it holds, links themselves never followed)
   * to nobody; a directory that is nobody's already is left as it is, so a run's working copy is
   * handed over once (its root last).
   */
  private static void handOver(Path dir, boolean recursive) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || owner(dir) == NOBODY) {
      return;
    }
    if (recursive) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.filter(p -> !p.equals(dir)).toList()) {
          setOwner(p);
        }
      }
    } else if (owner(dir) != 0) {
      return; // a data directory an operator gave to someone: theirs to manage
    }
    setOwner(dir);
  }

  /**
   * Gives a working copy that is nobody's (handed over, or made so: see {@code RunProjects}) back
   * to root, for a step of an image without nobody.
   */
  private static void handBack(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || owner(dir) != NOBODY) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.filter(p -> !p.equals(dir)).toList()) {
        Files.setAttribute(p, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
      }
    }
    Files.setAttribute(dir, "unix:uid", 0, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(dir, "unix:gid", 0, LinkOption.NOFOLLOW_LINKS);
  }

  private static int owner(Path p) throws IOException {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static void setOwner(Path p) throws IOException {
    Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
  }

  /** Reads the image's /etc/passwd from a created, never started, container. */
  private Optional<Boolean> imageHasNobody(String image) {
    String id = null;
    try {
      id = docker.createContainerCmd(image).withCmd("true").withLabels(labels).exec().getId();
    } catch (RuntimeException e) {
      log.debug("Could not look into image {}: {}", image, e.getMessage());
      return Optional.empty();
    }
    try (InputStream tar = docker.copyArchiveFromContainerCmd(id, "/etc/passwd").exec()) {
      String passwd = firstEntry(tar);
      return Optional.of(
          passwd
              .lines()
              .map(line -> line.split(":"))
              .anyMatch(f -> f.length > 3 && f[2].equals("65534")));
    } catch (com.github.dockerjava.api.exception.NotFoundException noPasswd) {
      return Optional.of(false);
    } catch (RuntimeException | IOException e) {
      log.debug("No /etc/passwd read from image {}: {}", image, e.getMessage());
      return Optional.empty();
    } finally {
      if (id != null) {
        try {
          docker.removeContainerCmd(id).withForce(true).exec();
        } catch (RuntimeException gone) {
          // removed already
        }
      }
    }
  }

  /** The content of a tar stream's first entry (a file of at most 1 MiB). */
  private static String firstEntry(InputStream tar) throws IOException {
    byte[] header = tar.readNBytes(512);
    if (header.length < 512) {
      return "";
    }
    String octal = new String(header, 124, 12, StandardCharsets.US_ASCII).trim();
    octal = octal.replace("\0", "").trim();
    long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    return new String(tar.readNBytes((int) Math.min(size, 1 << 20)), StandardCharsets.UTF_8);
  }
}

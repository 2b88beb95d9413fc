package io.gridrun.snapshot.project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Decides whether a symbolic link stays inside its project. The target is resolved the way the
 * operating system would, one segment at a time and following the links it passes through, and
 * every step must stay inside the project: a lexical check alone would accept {@code up/../x} where
 * {@code up -> .}, which really leaves the project. A target that goes out and comes back ({@code
 * ../project/x}) is refused too, since it would leave a run's working copy, whose name differs.
 */
public final class LinkTargets {

  /** Linux gives up after 40 links in one resolution (ELOOP); so do we. */
  private static final int MAX_LINKS = 40;

  /** A link chain that never ends. */
  public static final class TooManyLinks extends Exception {
    TooManyLinks() {
      super(null, null, false, false);
    }
  }

  private LinkTargets() {}

  /**
   * @param root the project directory
   * @param link a symbolic link inside it
   * @return whether the link's target, followed through other links, stays inside {@code root}
   */
  public static boolean staysInside(Path root, Path link) throws IOException, TooManyLinks {
    Deque<String> location = new ArrayDeque<>();
    for (Path segment : root.relativize(link.getParent())) {
      if (!segment.toString().isEmpty()) {
        location.addLast(segment.toString());
      }
    }
    int[] followed = {0};
    return resolve(root, location, Files.readSymbolicLink(link), followed);
  }

  private static boolean resolve(Path root, Deque<String> location, Path target, int[] followed)
      throws IOException, TooManyLinks {
    if (target.isAbsolute()) {
      return false;
    }
    for (String segment : target.toString().replace('\\', '/').split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        if (location.isEmpty()) {
          return false;
        }
        location.removeLast();
        continue;
      }
      location.addLast(segment);
      Path here = root.resolve(String.join("/", location));
      if (Files.isSymbolicLink(here)) {
        if (++followed[0] > MAX_LINKS) {
          throw new TooManyLinks();
        }
        location.removeLast();
        if (!resolve(root, location, Files.readSymbolicLink(here), followed)) {
          return false;
        }
      }
    }
    return true;
  }
}

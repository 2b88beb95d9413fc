package io.gridrun.common.pipeline;

import java.util.regex.Pattern;

/** Rules for names and relative paths that come from users and end up on a file system. */
public final class ProjectPaths {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private ProjectPaths() {}

  /** A relative path that stays inside its root: no absolute path, no {@code ..}, no backslash. */
  public static boolean isSafeRelative(String path) {
    if (path == null
        || path.isBlank()
        || path.startsWith("/")
        || path.contains("\\")
        || path.indexOf('\0') >= 0) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.isEmpty() || segment.equals("..") || segment.equals(".")) {
        return false;
      }
    }
    return true;
  }

  /** A single path segment usable as a project, environment, run or step name. */
  public static boolean isSafeName(String name) {
    return name != null && NAME.matcher(name).matches() && !name.equals("..");
  }
}

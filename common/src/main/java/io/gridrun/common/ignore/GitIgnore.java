package io.gridrun.common.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * gitignore(5) semantics for a project tree: patterns from every {@code .gitignore} between the
 * root and a path apply, deeper files after shallower ones, and the last matching pattern decides.
 * Supports comments, escaped {@code #}/{@code !}, negation, directory-only patterns (trailing
 * {@code /}), anchoring (a leading or inner {@code /}), {@code *}, {@code ?}, {@code [...]} and
 * {@code **}, matched by {@link Glob} in time bounded by pattern × name length (no regular
 * expressions, so no catastrophic backtracking); an invalid pattern ({@code [z-a]}) is skipped with
 * a warning. A path inside an ignored directory stays ignored, as in git, because the walker never
 * enters that directory.
 */
public final class GitIgnore {

  private record Rule(String base, Glob glob, boolean negated, boolean directoryOnly) {

    boolean matches(String path, boolean directory) {
      if (directoryOnly && !directory) {
        return false;
      }
      String relative;
      if (base.isEmpty()) {
        relative = path;
      } else if (path.startsWith(base + "/")) {
        relative = path.substring(base.length() + 1);
      } else {
        return false;
      }
      return glob.matches(relative);
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  /**
   * Adds the patterns of the {@code .gitignore} in directory {@code base} ("" for the root). An
   * invalid pattern is skipped, as git does, with a warning (see {@link #warnings()}).
   */
  public void add(String base, String content) {
    String[] lines = content.split("\r?\n");
    for (int number = 1; number <= lines.length; number++) {
      String line = stripTrailingSpaces(lines[number - 1]);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String original = line;
      boolean negated = false;
      if (line.startsWith("!")) {
        negated = true;
        line = line.substring(1);
      }
      boolean directoryOnly = line.endsWith("/") && !line.endsWith("\\/");
      if (directoryOnly) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        continue;
      }
      boolean anchored = line.contains("/");
      if (line.startsWith("/")) {
        line = line.substring(1);
      }
      try {
        rules.add(new Rule(base, Glob.compile(line, anchored), negated, directoryOnly));
      } catch (Glob.InvalidPattern e) {
        warnings.add(
            (base.isEmpty() ? "" : base + "/")
                + ".gitignore line "
                + number
                + ": the pattern '"
                + original
                + "' is skipped: "
                + e.getMessage());
      }
    }
  }

  /** The patterns that were skipped as invalid, one sentence each. */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Whether {@code path} ('/'-separated, relative to the project root) is ignored. */
  public boolean isIgnored(String path, boolean directory) {
    boolean ignored = false;
    for (Rule rule : rules) {
      if (rule.negated() == ignored && rule.matches(path, directory)) {
        ignored = !rule.negated();
      }
    }
    return ignored;
  }

  private static String stripTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ' && (end < 2 || line.charAt(end - 2) != '\\')) {
      end--;
    }
    return line.substring(0, end);
  }
}

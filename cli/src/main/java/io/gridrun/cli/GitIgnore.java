package io.gridrun.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * gitignore(5) semantics for a project tree: patterns from every {@code .gitignore} between the
 * root and a path apply, deeper files after shallower ones, and the last matching pattern decides.
 * Supports comments, escaped {@code #}/{@code !}, negation, directory-only patterns (trailing
 * {@code /}), anchoring (a leading or inner {@code /}), {@code *}, {@code ?}, {@code [...]} and
 * {@code **}. The same rules as the snapshot service's {@code GitIgnore}, so that a push sends what
 * a snapshot would keep. A path inside an ignored directory stays ignored, as in git, because the
 * walker never enters that directory.
 */
final class GitIgnore {

  private record Rule(String base, Pattern pattern, boolean negated, boolean directoryOnly) {

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
      return pattern.matcher(relative).matches();
    }
  }

  private final List<Rule> rules = new ArrayList<>();

  /** Adds the patterns of the {@code .gitignore} in directory {@code base} ("" for the root). */
  void add(String base, String content) {
    for (String raw : content.split("\r?\n")) {
      String line = stripTrailingSpaces(raw);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean negated = false;
      if (line.startsWith("!")) {
        negated = true;
        line = line.substring(1);
      } else if (line.startsWith("\\!") || line.startsWith("\\#")) {
        line = line.substring(1);
      }
      boolean directoryOnly = line.endsWith("/");
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
      String regex = (anchored ? "" : "(?:.*/)?") + globToRegex(line);
      rules.add(new Rule(base, Pattern.compile(regex), negated, directoryOnly));
    }
  }

  /** Whether {@code path} ('/'-separated, relative to the project root) is ignored. */
  boolean isIgnored(String path, boolean directory) {
    boolean ignored = false;
    for (Rule rule : rules) {
      if (rule.matches(path, directory)) {
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

  static String globToRegex(String glob) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (glob.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 3;
      } else if (glob.startsWith("/**", i) && i + 3 == glob.length()) {
        regex.append("/.*");
        i += 3;
      } else if (glob.startsWith("**", i)) {
        regex.append(".*");
        i += 2;
      } else if (c == '*') {
        regex.append("[^/]*");
        i++;
      } else if (c == '?') {
        regex.append("[^/]");
        i++;
      } else if (c == '[') {
        int close = glob.indexOf(']', i + 2);
        if (close < 0) {
          regex.append("\\[");
          i++;
        } else {
          String set = glob.substring(i + 1, close);
          if (set.startsWith("!")) {
            set = "^" + set.substring(1);
          }
          regex.append('[').append(set.replace("\\", "\\\\")).append(']');
          i = close + 1;
        }
      } else if (c == '\\' && i + 1 < glob.length()) {
        regex.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
        i += 2;
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return regex.toString();
  }
}

package io.gridrun.common.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * A gitignore glob compiled to tokens and matched without backtracking: the iterative two-pointer
 * wildcard algorithm, once over the characters of one path segment ({@code *}, {@code ?}, {@code
 * [...]}, escapes) and once over the segments of a path ({@code **} as the star). A match costs at
 * most (pattern length × name length) steps, never exponential time, whatever the pattern. No
 * {@code java.util.regex} is involved.
 */
final class Glob {

  /** A pattern git would not use; the message says why. */
  static final class InvalidPattern extends Exception {
    InvalidPattern(String message) {
      super(message, null, false, false);
    }
  }

  /** One character token: a literal, {@code ?}, a class or {@code *}. */
  private interface Token {}

  private record Literal(char c) implements Token {}

  private record AnyChar() implements Token {}

  private record Star() implements Token {}

  private record CharClass(List<char[]> ranges, List<String> named, boolean negated)
      implements Token {
    boolean matches(char c) {
      boolean in = false;
      for (char[] r : ranges) {
        if (c >= r[0] && c <= r[1]) {
          in = true;
          break;
        }
      }
      if (!in) {
        for (String name : named) {
          if (namedClass(name, c)) {
            in = true;
            break;
          }
        }
      }
      return in != negated;
    }
  }

  /** A path segment pattern, or {@code null} for {@code **} (any number of segments). */
  private final List<List<Token>> segments;

  private final boolean anchored;

  private Glob(List<List<Token>> segments, boolean anchored) {
    this.segments = segments;
    this.anchored = anchored;
  }

  /**
   * @param pattern a gitignore pattern without its negation, leading and trailing slash
   * @param anchored whether it matches a path from its start; otherwise it matches the last segment
   */
  static Glob compile(String pattern, boolean anchored) throws InvalidPattern {
    List<List<Token>> segments = new ArrayList<>();
    if (!anchored) {
      segments.add(segment(pattern.replace("**", "*")));
      return new Glob(segments, anchored);
    }
    String[] parts = pattern.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("**")) {
        if (segments.isEmpty() || segments.get(segments.size() - 1) != null) {
          segments.add(null);
        }
        if (i == parts.length - 1) {
          // "dir/**" matches everything inside dir, not dir itself: at least one more segment
          segments.add(List.of(new Star()));
        }
      } else {
        segments.add(segment(parts[i]));
      }
    }
    return new Glob(segments, anchored);
  }

  /** Whether {@code path} ('/'-separated, relative) matches; unanchored globs see its last name. */
  boolean matches(String path) {
    if (!anchored) {
      return matchSegment(segments.get(0), path.substring(path.lastIndexOf('/') + 1));
    }
    return matchPath(path.split("/", -1));
  }

  private boolean matchPath(String[] names) {
    int p = 0;
    int n = 0;
    int starP = -1;
    int starN = 0;
    while (n < names.length) {
      if (p < segments.size()
          && segments.get(p) != null
          && matchSegment(segments.get(p), names[n])) {
        p++;
        n++;
      } else if (p < segments.size() && segments.get(p) == null) {
        starP = p++;
        starN = n;
      } else if (starP >= 0) {
        p = starP + 1;
        n = ++starN;
      } else {
        return false;
      }
    }
    while (p < segments.size() && segments.get(p) == null) {
      p++;
    }
    return p == segments.size();
  }

  private static boolean matchSegment(List<Token> tokens, String name) {
    int t = 0;
    int i = 0;
    int starT = -1;
    int starI = 0;
    while (i < name.length()) {
      if (t < tokens.size() && matchesOne(tokens.get(t), name.charAt(i))) {
        t++;
        i++;
      } else if (t < tokens.size() && tokens.get(t) instanceof Star) {
        starT = t++;
        starI = i;
      } else if (starT >= 0) {
        t = starT + 1;
        i = ++starI;
      } else {
        return false;
      }
    }
    while (t < tokens.size() && tokens.get(t) instanceof Star) {
      t++;
    }
    return t == tokens.size();
  }

  private static boolean matchesOne(Token token, char c) {
    if (token instanceof Literal l) {
      return l.c() == c;
    } else if (token instanceof CharClass k) {
      return c != '/' && k.matches(c);
    }
    return token instanceof AnyChar && c != '/';
  }

  private static List<Token> segment(String glob) throws InvalidPattern {
    List<Token> tokens = new ArrayList<>();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '*') {
        if (tokens.isEmpty() || !(tokens.get(tokens.size() - 1) instanceof Star)) {
          tokens.add(new Star());
        }
        i++;
      } else if (c == '?') {
        tokens.add(new AnyChar());
        i++;
      } else if (c == '\\') {
        if (i + 1 >= glob.length()) {
          throw new InvalidPattern("it ends with a lone backslash");
        }
        tokens.add(new Literal(glob.charAt(i + 1)));
        i += 2;
      } else if (c == '[') {
        int end = charClass(glob, i, tokens);
        if (end < 0) {
          tokens.add(new Literal('['));
          i++;
        } else {
          i = end;
        }
      } else {
        tokens.add(new Literal(c));
        i++;
      }
    }
    return tokens;
  }

  /**
   * Parses a class starting at {@code glob[start] == '['} into {@code tokens}.
   *
   * @return the index after its closing {@code ]}, or -1 when it never closes (then {@code [} is
   *     literal)
   */
  private static int charClass(String glob, int start, List<Token> tokens) throws InvalidPattern {
    int i = start + 1;
    boolean negated = false;
    if (i < glob.length() && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
      negated = true;
      i++;
    }
    List<char[]> ranges = new ArrayList<>();
    List<String> named = new ArrayList<>();
    boolean first = true;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == ']' && !first) {
        tokens.add(new CharClass(ranges, named, negated));
        return i + 1;
      }
      first = false;
      if (c == '[' && i + 1 < glob.length() && glob.charAt(i + 1) == ':') {
        int close = glob.indexOf(":]", i + 2);
        if (close < 0) {
          throw new InvalidPattern("the character class '" + glob.substring(i) + "' never ends");
        }
        String name = glob.substring(i + 2, close);
        if (!List.of("alnum", "alpha", "digit", "lower", "upper", "space", "xdigit", "punct")
            .contains(name)) {
          throw new InvalidPattern("'[:" + name + ":]' is not a character class");
        }
        named.add(name);
        i = close + 2;
        continue;
      }
      if (c == '\\') {
        if (i + 1 >= glob.length()) {
          return -1;
        }
        c = glob.charAt(++i);
      }
      char low = c;
      char high = c;
      if (i + 2 < glob.length() && glob.charAt(i + 1) == '-' && glob.charAt(i + 2) != ']') {
        i += 2;
        high = glob.charAt(i);
        if (high == '\\') {
          if (i + 1 >= glob.length()) {
            return -1;
          }
          high = glob.charAt(++i);
        }
        if (high < low) {
          throw new InvalidPattern("the range " + low + "-" + high + " is reversed");
        }
      }
      ranges.add(new char[] {low, high});
      i++;
    }
    return -1;
  }

  private static boolean namedClass(String name, char c) {
    return switch (name) {
      case "alnum" -> Character.isLetterOrDigit(c);
      case "alpha" -> Character.isLetter(c);
      case "digit" -> c >= '0' && c <= '9';
      case "lower" -> Character.isLowerCase(c);
      case "upper" -> Character.isUpperCase(c);
      case "space" -> Character.isWhitespace(c);
      case "xdigit" -> Character.digit(c, 16) >= 0;
      default -> c < 128 && !Character.isLetterOrDigit(c) && c > ' ' && c != 127; // punct
    };
  }
}

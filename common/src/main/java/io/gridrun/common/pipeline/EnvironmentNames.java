package io.gridrun.common.pipeline;

import java.util.regex.Pattern;

/** What an environment may be called: a name, never a URL or a path. */
public final class EnvironmentNames {

  /** The rule in words, for problem details. */
  public static final String RULE =
      "a letter or digit, then up to 62 letters, digits, '.', '_' or '-'";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private EnvironmentNames() {}

  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches();
  }
}

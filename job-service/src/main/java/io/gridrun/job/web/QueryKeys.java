package io.gridrun.job.web;

import io.gridrun.platform.web.ApiProblem;
import java.util.regex.Pattern;

/**
 * Names a client may use in a query to filter or sort by ({@code param.<name>}, {@code sort}):
 * dot-separated parts of letters, digits, {@code _} and {@code -}. Anything else ({@code a.},
 * {@code .a}, {@code a..b}, {@code $gt}) is a {@code 400}, never a database field name.
 */
public final class QueryKeys {

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
  private static final int MAX_LENGTH = 200;

  private QueryKeys() {}

  public static boolean isValid(String key) {
    return key != null && key.length() <= MAX_LENGTH && KEY.matcher(key).matches();
  }

  /** The key, or a {@code 400} naming the query parameter. */
  public static String check(String parameter, String key) {
    if (!isValid(key)) {
      throw ApiProblem.badRequest(
          parameter
              + " '"
              + key
              + "' is not a valid name: dot-separated parts of letters, digits, '_' or '-', at"
              + " most "
              + MAX_LENGTH
              + " characters");
    }
    return key;
  }
}

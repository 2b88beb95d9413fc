package io.gridrun.common.secret;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How secrets look from outside: in an {@code env} map, a sealed value is a secret, shown under
 * {@code secrets} as {@value SecretBox#MASK}; in text (a step's log), every occurrence of a
 * secret's value is replaced by {@value SecretBox#MASK}.
 */
public final class SecretMasking {

  private SecretMasking() {}

  /** The variables of {@code env} that are not secrets. */
  public static Map<String, String> plain(Map<String, String> env) {
    Map<String, String> plain = new LinkedHashMap<>();
    if (env != null) {
      env.forEach(
          (name, value) -> {
            if (!SecretBox.isSealed(value)) {
              plain.put(name, value);
            }
          });
    }
    return plain;
  }

  /** The names of the secrets in {@code env}, each with {@value SecretBox#MASK}. */
  public static Map<String, String> masked(Map<String, String> env) {
    Map<String, String> masked = new LinkedHashMap<>();
    if (env != null) {
      env.forEach(
          (name, value) -> {
            if (SecretBox.isSealed(value)) {
              masked.put(name, SecretBox.MASK);
            }
          });
    }
    return masked;
  }

  /**
   * {@code text} with every occurrence of the given values replaced by {@value SecretBox#MASK},
   * longest values first (so a value containing another is masked whole). Empty values are ignored.
   */
  public static String mask(String text, List<String> values) {
    String masked = text;
    List<String> ordered =
        values.stream()
            .filter(v -> v != null && !v.isEmpty())
            .distinct()
            .sorted(Comparator.comparingInt(String::length).reversed())
            .toList();
    for (String value : ordered) {
      masked = masked.replace(value, SecretBox.MASK);
    }
    return masked;
  }
}

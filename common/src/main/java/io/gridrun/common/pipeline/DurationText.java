package io.gridrun.common.pipeline;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in pipeline files: a number and a unit, or several in a row
 * ({@code "500ms"}, {@code "30s"}, {@code "10m"}, {@code "2h"}, {@code "1d"}, {@code "1h30m"}).
 */
public final class DurationText {

  /** What a problem message shows as examples of valid durations. */
  public static final String EXAMPLES = "30s, 10m or 2h";

  private static final Pattern WHOLE = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private DurationText() {}

  /** Longer than this is not a duration anyone means (and overflows milliseconds later on). */
  public static final Duration MAX = Duration.ofDays(3650);

  /**
   * The duration, or empty when the text is not one (null, blank, no unit, unknown unit, longer
   * than {@link #MAX}…).
   */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String compact = text.strip().toLowerCase(Locale.ROOT);
    if (!WHOLE.matcher(compact).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(compact);
    try {
      while (part.find()) {
        long amount = Long.parseLong(part.group(1));
        total =
            total.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(amount);
                  case "s" -> Duration.ofSeconds(amount);
                  case "m" -> Duration.ofMinutes(amount);
                  case "h" -> Duration.ofHours(amount);
                  default -> Duration.ofDays(amount);
                });
      }
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return Optional.empty();
    }
    return total.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(total);
  }
}

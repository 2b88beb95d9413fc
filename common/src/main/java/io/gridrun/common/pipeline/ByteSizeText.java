package io.gridrun.common.pipeline;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as Docker writes them: a whole number with an optional binary unit {@code b}, {@code k},
 * {@code m} or {@code g} ({@code "512m"} is 512 MiB); {@code kb}/{@code mb}/{@code gb} and {@code
 * ki}/{@code mi}/{@code gi} mean the same.
 */
public final class ByteSizeText {

  public static final String EXAMPLES = "512m or 2g";

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|[kmg](?:ib|i|b)?)?");

  private ByteSizeText() {}

  /** The number of bytes, or empty when the text is not a size. */
  public static OptionalLong parse(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return OptionalLong.empty();
    }
    long unit =
        switch (m.group(2) == null ? 'b' : m.group(2).charAt(0)) {
          case 'k' -> 1L << 10;
          case 'm' -> 1L << 20;
          case 'g' -> 1L << 30;
          default -> 1L;
        };
    try {
      return OptionalLong.of(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return OptionalLong.empty();
    }
  }
}

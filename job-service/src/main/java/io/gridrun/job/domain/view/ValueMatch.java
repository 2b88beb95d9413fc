package io.gridrun.job.domain.view;

import java.math.BigDecimal;
import java.util.Collection;

/**
 * Whether a parameter's value matches a value asked for in a URL ({@code param.lr=0.1}), as a
 * MongoDB equality filter on the stored value would: the text stands for a string, a number (equal
 * across integer and decimal types) or a boolean; an array matches when one of its elements does.
 */
public final class ValueMatch {

  private ValueMatch() {}

  public static boolean matches(Object stored, String asked) {
    if (stored instanceof Collection<?> elements) {
      return elements.stream().anyMatch(e -> !(e instanceof Collection<?>) && matches(e, asked));
    }
    if (stored instanceof String text) {
      return text.equals(asked);
    }
    if (stored instanceof Boolean flag) {
      return (asked.equals("true") || asked.equals("false")) && flag == Boolean.parseBoolean(asked);
    }
    if (stored instanceof Number number) {
      BigDecimal wanted = number(asked);
      BigDecimal have = number(number);
      return wanted != null && have != null && wanted.compareTo(have) == 0;
    }
    return false;
  }

  private static BigDecimal number(String text) {
    try {
      double value = Double.parseDouble(text);
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        return null;
      }
      try {
        return new BigDecimal(Long.parseLong(text));
      } catch (NumberFormatException decimal) {
        return new BigDecimal(value);
      }
    } catch (NumberFormatException notANumber) {
      return null;
    }
  }

  private static BigDecimal number(Number number) {
    if (number instanceof Long || number instanceof Integer || number instanceof Short) {
      return BigDecimal.valueOf(number.longValue());
    }
    if (number instanceof BigDecimal decimal) {
      return decimal;
    }
    double value = number.doubleValue();
    return Double.isNaN(value) || Double.isInfinite(value) ? null : new BigDecimal(value);
  }
}

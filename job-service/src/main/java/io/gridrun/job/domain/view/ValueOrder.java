package io.gridrun.job.domain.view;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;

/**
 * The order MongoDB sorts values of different types in, for the values metrics and parameters take:
 * numbers (compared as numbers whatever their type), then strings, then documents, then arrays,
 * then booleans (false first).
 */
public final class ValueOrder implements Comparator<Object> {

  public static final ValueOrder INSTANCE = new ValueOrder();

  private ValueOrder() {}

  @Override
  public int compare(Object a, Object b) {
    int byType = Integer.compare(rank(a), rank(b));
    if (byType != 0) {
      return byType;
    }
    if (a instanceof Number x && b instanceof Number y) {
      return compareNumbers(x, y);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    if (a instanceof Boolean x && b instanceof Boolean y) {
      return Boolean.compare(x, y);
    }
    return String.valueOf(a).compareTo(String.valueOf(b));
  }

  private static int compareNumbers(Number x, Number y) {
    if (isIntegral(x) && isIntegral(y)) {
      return Long.compare(x.longValue(), y.longValue());
    }
    if (!(x instanceof BigDecimal) && !(y instanceof BigDecimal)) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
  }

  private static boolean isIntegral(Number n) {
    return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
  }

  private static int rank(Object value) {
    if (value instanceof Number) {
      return 1;
    }
    if (value instanceof String) {
      return 2;
    }
    if (value instanceof Map<?, ?>) {
      return 3;
    }
    if (value instanceof Collection<?>) {
      return 4;
    }
    if (value instanceof Boolean) {
      return 5;
    }
    return 6;
  }
}

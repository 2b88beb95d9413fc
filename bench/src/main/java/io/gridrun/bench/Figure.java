package io.gridrun.bench;

/**
 * One measured figure next to its baseline from the same run.
 *
 * @param higherIsBetter true for rates, false for durations
 */
public record Figure(
    String name,
    double value,
    String unit,
    String baselineName,
    Double baseline,
    boolean higherIsBetter) {

  public static Figure alone(String name, double value, String unit) {
    return new Figure(name, value, unit, null, null, true);
  }

  /** gridrun relative to the baseline: above 1 means gridrun is the slower/larger one for times. */
  public String ratio() {
    if (baseline == null || baseline == 0) {
      return "";
    }
    return String.format(java.util.Locale.ROOT, "%.2f×", value / baseline);
  }
}

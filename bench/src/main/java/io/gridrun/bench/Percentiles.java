package io.gridrun.bench;

import java.util.Arrays;

/** Percentiles of measured values, by the nearest-rank method. */
final class Percentiles {

  private Percentiles() {}

  /** The {@code p}th percentile of {@code values} (p 100: the largest). */
  static double of(double[] values, int p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
  }
}

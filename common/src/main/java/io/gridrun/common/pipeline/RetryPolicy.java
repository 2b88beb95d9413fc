package io.gridrun.common.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How often a failed step is tried again, as {@code "retries": {"max": 3, "backoff": "10s",
 * "factor": 2}} in a pipeline file: up to {@code max} attempts after the first, the n-th retry
 * waiting {@code backoff × factor^(n-1)}.
 *
 * @param max attempts after the first; 0 (the default) = no retry
 * @param backoff wait before the first retry; default {@code 10s}
 * @param factor each further wait is this many times the previous one; default 2
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RetryPolicy(Integer max, String backoff, Double factor) {

  public static final RetryPolicy NONE = new RetryPolicy(0, null, null);
  public static final int MOST_RETRIES = 100;
  public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(10);
  public static final double DEFAULT_FACTOR = 2;

  /** No wait is ever longer than this, whatever the factor. */
  public static final Duration LONGEST_WAIT = Duration.ofDays(1);

  public int retries() {
    return max == null ? 0 : max;
  }

  /** Attempts in all: the first and the retries. */
  public int attempts() {
    return 1 + retries();
  }

  public Duration firstWait() {
    return DurationText.parse(backoff).orElse(DEFAULT_BACKOFF);
  }

  public double growth() {
    return factor == null ? DEFAULT_FACTOR : factor;
  }

  /**
   * How long to wait before attempt {@code attempt} (2 for the first retry): {@code backoff ×
   * factor^(attempt-2)}, at most {@link #LONGEST_WAIT}.
   */
  public Duration waitBefore(int attempt) {
    if (attempt < 2) {
      return Duration.ZERO;
    }
    double millis = firstWait().toMillis() * Math.pow(growth(), attempt - 2);
    if (Double.isNaN(millis) || millis >= LONGEST_WAIT.toMillis()) {
      return LONGEST_WAIT;
    }
    return Duration.ofMillis(Math.round(millis));
  }

  List<String> problems(String where) {
    List<String> problems = new ArrayList<>();
    if (max != null && (max < 0 || max > MOST_RETRIES)) {
      problems.add(where + ": retries.max must be between 0 and " + MOST_RETRIES + ", not " + max);
    }
    if (backoff != null && DurationText.parse(backoff).isEmpty()) {
      problems.add(
          where
              + ": retries.backoff '"
              + backoff
              + "' is not a duration like "
              + DurationText.EXAMPLES);
    }
    if (factor != null && !(factor >= 1 && factor <= 100)) {
      problems.add(where + ": retries.factor must be between 1 and 100, not " + factor);
    }
    return problems;
  }
}

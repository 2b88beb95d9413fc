package io.gridrun.gateway.job;

import java.time.Duration;
import org.springframework.scheduling.support.CronExpression;

/** Cron expressions of job schedules: the two forms gridrun accepts, and how often they fire. */
final class JobOptionsParser {

  private JobOptionsParser() {}

  /** A cron expression in 5-field Unix form or Spring's 6-field form with seconds. */
  static CronExpression cron(String expression) {
    String trimmed = expression.trim();
    String sixFields = trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed;
    return CronExpression.parse(sixFields);
  }

  /**
   * The shortest time between the next firings of a cron expression (in UTC, over the firings of
   * the coming days), or null when it fires at most once.
   */
  static Duration shortestGap(CronExpression expression) {
    java.time.LocalDateTime previous =
        expression.next(java.time.LocalDateTime.of(2026, 1, 1, 0, 0));
    Duration shortest = null;
    for (int i = 0; i < 200 && previous != null; i++) {
      java.time.LocalDateTime next = expression.next(previous);
      if (next == null) {
        break;
      }
      Duration gap = Duration.between(previous, next);
      shortest = shortest == null || gap.compareTo(shortest) < 0 ? gap : shortest;
      previous = next;
    }
    return shortest;
  }
}

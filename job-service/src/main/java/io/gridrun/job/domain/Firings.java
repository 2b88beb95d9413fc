package io.gridrun.job.domain;

import io.gridrun.common.job.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a schedule fires, and what a firing that comes due does with the firings it finds missed.
 * Pure: the current time is always passed in, so every rule is tested without waiting.
 */
public final class Firings {

  /** Due firings looked at, at most, when catching up after a long outage. */
  static final int MAX_DUE = 100_000;

  private Firings() {}

  /**
   * What a firing does.
   *
   * @param batches firings that start a batch, oldest first
   * @param missed firings that start none because they were missed, oldest first (for {@code
   *     missed: all}, only those beyond the catch-up limit)
   * @param next the schedule's next firing after now; null for a one-off time
   */
  public record Plan(List<Instant> batches, List<Instant> missed, Instant next) {}

  /** A cron expression in 5-field Unix form or Spring's 6-field form with seconds. */
  public static CronExpression cron(String expression) {
    String trimmed = expression.trim();
    return CronExpression.parse(trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed);
  }

  public static ZoneId zone(Schedule schedule) {
    return schedule.timezone() == null ? ZoneOffset.UTC : ZoneId.of(schedule.timezone());
  }

  /** The schedule's first firing for a job whose schedule starts at {@code from}. */
  public static Instant first(Schedule schedule, Instant from) {
    if (!schedule.recurring()) {
      return schedule.at().toInstant();
    }
    return nextAfter(schedule, from);
  }

  /** The cron schedule's first firing strictly after {@code after}, in its time zone. */
  public static Instant nextAfter(Schedule schedule, Instant after) {
    if (!schedule.recurring()) {
      return null;
    }
    ZonedDateTime next = cron(schedule.cron()).next(after.atZone(zone(schedule)));
    return next == null ? null : next.toInstant();
  }

  /**
   * Plans the firing due at {@code due} (the job's {@code nextRunAt}) when it is handled at {@code
   * now}. The last firing due by now counts as on time if it is at most {@code grace} old; every
   * earlier one was missed (job-service was down or far behind), and the schedule's {@code missed}
   * policy says what becomes of them: {@code none} drops them, {@code last} collapses them into one
   * batch, {@code all} runs each (up to {@code maxCatchUp} batches, the most recent ones).
   */
  public static Plan plan(
      Schedule schedule, Instant due, Instant now, Duration grace, int maxCatchUp) {
    List<Instant> firings = dueBetween(schedule, due, now);
    Instant next = nextAfter(schedule, now);
    if (firings.isEmpty()) {
      return new Plan(List.of(), List.of(), next == null ? due : next);
    }
    Instant last = firings.get(firings.size() - 1);
    boolean lastOnTime = !last.isBefore(now.minus(grace));
    List<Instant> earlier = firings.subList(0, firings.size() - 1);
    return switch (schedule.missed()) {
      case NONE ->
          lastOnTime
              ? new Plan(List.of(last), List.copyOf(earlier), next)
              : new Plan(List.of(), List.copyOf(firings), next);
      case LAST -> new Plan(List.of(last), List.copyOf(earlier), next);
      case ALL -> {
        int keep = Math.min(firings.size(), maxCatchUp);
        yield new Plan(
            List.copyOf(firings.subList(firings.size() - keep, firings.size())),
            List.copyOf(firings.subList(0, firings.size() - keep)),
            next);
      }
    };
  }

  /** Firings from {@code due} (inclusive) up to {@code now} (inclusive). */
  static List<Instant> dueBetween(Schedule schedule, Instant due, Instant now) {
    List<Instant> firings = new ArrayList<>();
    if (due.isAfter(now)) {
      return firings;
    }
    firings.add(due);
    if (!schedule.recurring()) {
      return firings;
    }
    CronExpression cron = cron(schedule.cron());
    ZoneId zone = zone(schedule);
    ZonedDateTime t = due.atZone(zone);
    while (firings.size() < MAX_DUE) {
      t = cron.next(t);
      if (t == null || t.toInstant().isAfter(now)) {
        break;
      }
      firings.add(t.toInstant());
    }
    return firings;
  }
}

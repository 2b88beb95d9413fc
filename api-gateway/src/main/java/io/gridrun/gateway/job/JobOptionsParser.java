package io.gridrun.gateway.job;

import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.pipeline.DurationText;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.scheduling.support.CronExpression;

/** Reads the optional parts of a job submission: selection, schedule, retention, snapshot. */
final class JobOptionsParser {

  private JobOptionsParser() {}

  static JobOptions parse(Map<?, ?> json, List<String> problems) {
    return parse(json, problems, JobLimits.DEFAULTS);
  }

  static JobOptions parse(Map<?, ?> json, List<String> problems, JobLimits limits) {
    RunSelection selection =
        new RunSelection(
            partials(json.get("exclude"), "exclude", problems),
            partials(json.get("include"), "include", problems),
            indices(json.get("runs"), problems));
    Schedule schedule = schedule(json, problems, limits.minCronInterval());
    Boolean failFast = bool(json.get("failFast"), "failFast", problems);
    Integer retained = positive(json.get("maxRetainedRuns"), "maxRetainedRuns", problems);
    Object snapshot = json.get("snapshot");
    if (snapshot != null && !(snapshot instanceof String)) {
      problems.add("snapshot must be the id of an existing snapshot");
      snapshot = null;
    }
    return new JobOptions(
        selection,
        schedule,
        failFast,
        retained,
        (String) snapshot,
        timeout(json, problems, limits.maxTimeout()));
  }

  /** The job's limit on each run: a positive duration like {@code 30m}. */
  private static String timeout(Map<?, ?> json, List<String> problems, Duration max) {
    Object value = json.get("timeout");
    if (value == null) {
      return null;
    }
    Optional<Duration> parsed =
        value instanceof String text ? DurationText.parse(text) : Optional.empty();
    if (parsed.isEmpty() || parsed.get().isZero()) {
      problems.add(
          "timeout '" + value + "' is not a positive duration like " + DurationText.EXAMPLES);
      return null;
    }
    if (parsed.get().compareTo(max) > 0) {
      problems.add(
          "timeout '"
              + value
              + "' is longer than the limit of "
              + max
              + " (gridrun.gateway.limits.max-timeout)");
      return null;
    }
    return (String) value;
  }

  /** A cron expression in 5-field Unix form or Spring's 6-field form with seconds. */
  static CronExpression cron(String expression) {
    String trimmed = expression.trim();
    String sixFields = trimmed.split("\\s+").length == 5 ? "0 " + trimmed : trimmed;
    return CronExpression.parse(sixFields);
  }

  private static Schedule schedule(Map<?, ?> json, List<String> problems, Duration minInterval) {
    Object value = json.get("schedule");
    Map<?, ?> schedule = value instanceof Map<?, ?> m ? m : Map.of();
    if (value != null && !(value instanceof Map)) {
      problems.add(
          "schedule must be an object: {\"at\": time} or {\"cron\": expression, \"timezone\": zone}");
    }
    Object overlapValue = first(schedule.get("overlap"), json.get("overlap"));
    Object missedValue = first(schedule.get("missed"), json.get("missed"));
    Schedule.Overlap overlap = choice(overlapValue, "overlap", Schedule.Overlap.class, problems);
    Schedule.Missed missed = choice(missedValue, "missed", Schedule.Missed.class, problems);
    Object at = schedule.get("at");
    Object cron = schedule.get("cron");
    Object zone = first(schedule.get("timezone"), json.get("timezone"));
    if (value == null) {
      return null;
    }
    if ((at == null) == (cron == null)) {
      problems.add("schedule needs exactly one of 'at' (a time) or 'cron' (an expression)");
      return null;
    }
    OffsetDateTime when = null;
    if (at != null) {
      try {
        when = OffsetDateTime.parse(String.valueOf(at));
      } catch (DateTimeException e) {
        problems.add(
            "schedule.at '"
                + at
                + "' is not an ISO-8601 time with offset, e.g. 2026-12-01T09:00:00+01:00");
      }
    }
    if (cron != null) {
      try {
        Duration gap = shortestGap(cron(String.valueOf(cron)));
        if (gap != null && gap.compareTo(minInterval) < 0) {
          problems.add(
              "schedule.cron '"
                  + cron
                  + "' fires "
                  + gap
                  + " apart, more often than the limit of one firing per "
                  + minInterval
                  + " (gridrun.schedule.min-interval)");
        }
      } catch (IllegalArgumentException e) {
        problems.add(
            "schedule.cron '" + cron + "' is not a valid cron expression: " + e.getMessage());
      }
    }
    String timezone = zone == null ? null : String.valueOf(zone);
    if (timezone != null) {
      try {
        ZoneId.of(timezone);
      } catch (DateTimeException e) {
        problems.add(
            "schedule.timezone '" + timezone + "' is not an IANA time zone, e.g. Europe/Amsterdam");
      }
    }
    return new Schedule(
        when, cron == null ? null : String.valueOf(cron), timezone, overlap, missed);
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

  private static Object first(Object a, Object b) {
    return a != null ? a : b;
  }

  private static <E extends Enum<E>> E choice(
      Object value, String field, Class<E> type, List<String> problems) {
    if (value == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, String.valueOf(value).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      problems.add(field + " must be one of " + allowed + ", not '" + value + "'");
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<RunParameters> partials(Object value, String field, List<String> problems) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      problems.add(
          field + " must be a list of combinations like {\"pipeline\": {..}, \"steps\": {..}}");
      return null;
    }
    List<RunParameters> partials = new ArrayList<>();
    for (Object item : list) {
      Map<String, Object> combination =
          item instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
      Object pipeline = combination == null ? null : combination.get("pipeline");
      Object steps = combination == null ? null : combination.get("steps");
      boolean wellFormed =
          combination != null
              && (pipeline == null || pipeline instanceof Map)
              && (steps == null
                  || (steps instanceof Map<?, ?> s
                      && s.values().stream().allMatch(v -> v instanceof Map)));
      if (!wellFormed) {
        problems.add(
            field
                + " entries must look like {\"pipeline\": {\"lr\": 0.1}, \"steps\": {\"train\": {\"epochs\": 3}}}");
        continue;
      }
      Map<String, Map<String, Object>> stepValues = new LinkedHashMap<>();
      if (steps != null) {
        ((Map<String, Object>) steps)
            .forEach((step, values) -> stepValues.put(step, (Map<String, Object>) values));
      }
      partials.add(
          new RunParameters(
              pipeline == null ? Map.of() : (Map<String, Object>) pipeline, stepValues));
    }
    return partials;
  }

  private static List<Long> indices(Object value, List<String> problems) {
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)
        || list.stream().anyMatch(i -> !(i instanceof Integer || i instanceof Long))) {
      problems.add("runs must be a list of grid indices, e.g. [0, 2, 5]");
      return null;
    }
    return list.stream().map(i -> ((Number) i).longValue()).toList();
  }

  private static Boolean bool(Object value, String field, List<String> problems) {
    if (value == null || value instanceof Boolean) {
      return (Boolean) value;
    }
    problems.add(field + " must be true or false");
    return null;
  }

  /** A positive JSON integer, or null when absent; anything else adds a problem. */
  static Integer positive(Object value, String field, List<String> problems) {
    if (value == null) {
      return null;
    }
    if (value instanceof Integer i && i > 0) {
      return i;
    }
    problems.add(field + " must be a positive whole number");
    return null;
  }
}

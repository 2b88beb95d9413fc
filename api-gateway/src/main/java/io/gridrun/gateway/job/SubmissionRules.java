package io.gridrun.gateway.job;

import io.gridrun.common.job.Schedule;
import io.gridrun.platform.web.Violations;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Constraints of a {@link JobSubmission} that span fields, with the API's messages. */
public final class SubmissionRules {

  private SubmissionRules() {}

  /** {@code project} and {@code pipeline} are required unless a {@code snapshot} is re-used. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = ProjectUnlessSnapshotValidator.class)
  public @interface ProjectUnlessSnapshot {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class ProjectUnlessSnapshotValidator
      implements ConstraintValidator<ProjectUnlessSnapshot, JobSubmission> {
    @Override
    public boolean isValid(JobSubmission job, ConstraintValidatorContext context) {
      if (job.snapshot() != null) {
        return true;
      }
      boolean valid = true;
      if (job.project() == null || job.project().isBlank()) {
        Violations.add(context, "project", "project is required and must be a non-empty string");
        valid = false;
      }
      if (job.pipeline() == null || job.pipeline().isBlank()) {
        Violations.add(context, "pipeline", "pipeline is required and must be a non-empty string");
        valid = false;
      }
      return valid;
    }
  }

  /**
   * A schedule is {@code at} or {@code cron} (not both), in a known time zone, firing no more often
   * than the limit; {@code overlap}, {@code missed} and {@code timezone} may also stand beside it.
   */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = ScheduleRulesValidator.class)
  public @interface ScheduleRules {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class ScheduleRulesValidator
      implements ConstraintValidator<ScheduleRules, JobSubmission> {

    /** A problem and the field it is reported on. */
    private record Problem(String field, String text) {}

    @Override
    public boolean isValid(JobSubmission job, ConstraintValidatorContext context) {
      List<Problem> problems = new ArrayList<>();
      JobSubmission.ScheduleSpec schedule = job.schedule();
      choice(
          first(schedule, JobSubmission.ScheduleSpec::overlap, job.overlap()),
          "overlap",
          Schedule.Overlap.class,
          problems);
      choice(
          first(schedule, JobSubmission.ScheduleSpec::missed, job.missed()),
          "missed",
          Schedule.Missed.class,
          problems);
      if (schedule != null) {
        shape(schedule, JobLimits.of(context).minCronInterval(), problems);
      }
      String zone = first(schedule, JobSubmission.ScheduleSpec::timezone, job.timezone());
      if (schedule != null && problems.stream().noneMatch(p -> p.text().contains("exactly one"))) {
        zone(zone, problems);
      }
      problems.forEach(problem -> Violations.add(context, problem.field(), problem.text()));
      return problems.isEmpty();
    }

    private static String first(
        JobSubmission.ScheduleSpec schedule,
        Function<JobSubmission.ScheduleSpec, String> field,
        String beside) {
      String inside = schedule == null ? null : field.apply(schedule);
      return inside != null ? inside : beside;
    }

    private static <E extends Enum<E>> void choice(
        String value, String field, Class<E> type, List<Problem> problems) {
      if (value == null) {
        return;
      }
      try {
        Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        List<String> allowed = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
          allowed.add(constant.name().toLowerCase(Locale.ROOT));
        }
        problems.add(
            new Problem(field, field + " must be one of " + allowed + ", not '" + value + "'"));
      }
    }

    private static void shape(
        JobSubmission.ScheduleSpec schedule, Duration minInterval, List<Problem> problems) {
      if ((schedule.at() == null) == (schedule.cron() == null)) {
        problems.add(
            new Problem(
                "schedule",
                "schedule needs exactly one of 'at' (a time) or 'cron' (an expression)"));
      } else if (schedule.at() != null) {
        try {
          OffsetDateTime.parse(schedule.at());
        } catch (DateTimeException e) {
          problems.add(
              new Problem(
                  "schedule",
                  "schedule.at '"
                      + schedule.at()
                      + "' is not an ISO-8601 time with offset, e.g. 2026-12-01T09:00:00+01:00"));
        }
      } else {
        cron(schedule.cron(), minInterval, problems);
      }
    }

    private static void cron(String cron, Duration minInterval, List<Problem> problems) {
      try {
        Duration gap = JobOptionsParser.shortestGap(JobOptionsParser.cron(cron));
        if (gap != null && gap.compareTo(minInterval) < 0) {
          problems.add(
              new Problem(
                  "schedule",
                  "schedule.cron '"
                      + cron
                      + "' fires "
                      + gap
                      + " apart, more often than the limit of one firing per "
                      + minInterval
                      + " (gridrun.schedule.min-interval)"));
        }
      } catch (IllegalArgumentException e) {
        problems.add(
            new Problem(
                "schedule",
                "schedule.cron '" + cron + "' is not a valid cron expression: " + e.getMessage()));
      }
    }

    private static void zone(String zone, List<Problem> problems) {
      if (zone == null) {
        return;
      }
      try {
        ZoneId.of(zone);
      } catch (DateTimeException e) {
        problems.add(
            new Problem(
                "timezone",
                "schedule.timezone '"
                    + zone
                    + "' is not an IANA time zone, e.g. Europe/Amsterdam"));
      }
    }
  }

  /** No parameter value (grid, include, exclude) nor env value is larger than the limit. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = ValueLimitsValidator.class)
  public @interface ValueLimits {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class ValueLimitsValidator
      implements ConstraintValidator<ValueLimits, JobSubmission> {
    @Override
    public boolean isValid(JobSubmission job, ConstraintValidatorContext context) {
      int max = JobLimits.of(context).maxParameterBytes();
      boolean valid = true;
      valid &= check("grid", grid(job.grid()), max, context);
      valid &= check("include", combinations(job.include()), max, context);
      valid &= check("exclude", combinations(job.exclude()), max, context);
      if (job.env() != null) {
        for (Map.Entry<String, Object> variable : job.env().entrySet()) {
          Object value = variable.getValue();
          if (value != null && !(value instanceof Map) && !(value instanceof List)) {
            valid &= check("env", "env." + variable.getKey(), String.valueOf(value), max, context);
          }
        }
      }
      return valid;
    }

    private static boolean check(
        String field, Object value, int max, ConstraintValidatorContext context) {
      return check(field, field, value, max, context);
    }

    private static boolean check(
        String field, String where, Object value, int max, ConstraintValidatorContext context) {
      List<String> problems = new ArrayList<>();
      new ValueSizes(max, problems).check(where, value);
      problems.forEach(problem -> Violations.add(context, field, problem));
      return problems.isEmpty();
    }

    private static Object grid(JobSubmission.Grid grid) {
      if (grid == null) {
        return null;
      }
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("pipeline", grid.pipeline());
      json.put("steps", grid.steps());
      return json;
    }

    private static Object combinations(List<JobSubmission.Combination> combinations) {
      if (combinations == null) {
        return null;
      }
      List<Object> json = new ArrayList<>();
      for (JobSubmission.Combination combination : combinations) {
        Map<String, Object> entry = new LinkedHashMap<>();
        if (combination != null && combination.pipeline() != null) {
          entry.put("pipeline", combination.pipeline());
        }
        if (combination != null && combination.steps() != null) {
          entry.put("steps", combination.steps());
        }
        json.add(entry);
      }
      return json;
    }
  }
}

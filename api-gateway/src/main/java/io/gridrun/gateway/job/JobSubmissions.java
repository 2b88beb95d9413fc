package io.gridrun.gateway.job;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.pipeline.DurationText;
import io.gridrun.platform.web.BeanChecks;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.HibernateValidatorFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a bound {@link JobSubmission} with Bean Validation under the configured {@link JobLimits}
 * and turns it into a {@link JobRequest}; turns a body that could not be bound into the problem the
 * API documents for the field it failed on.
 */
public final class JobSubmissions {

  /** The order in which problems are listed: the fields in the order gridrun reads them. */
  private static final List<String> FIELD_ORDER =
      List.of(
          "name",
          "exclude",
          "include",
          "runs",
          "overlap",
          "missed",
          "schedule",
          "timezone",
          "failFast",
          "maxRetainedRuns",
          "snapshot",
          "timeout",
          "project",
          "pipeline",
          "grid",
          "env",
          "maxParallelRuns",
          "secrets");

  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private static final HibernateValidatorFactory VALIDATORS =
      Validation.byProvider(HibernateValidator.class)
          .configure()
          .buildValidatorFactory()
          .unwrap(HibernateValidatorFactory.class);

  private JobSubmissions() {}

  /** Reads a submission's JSON, as the HTTP layer binds it. */
  public static JobSubmission read(String body) {
    try {
      JobSubmission submission = JSON.readValue(body, JobSubmission.class);
      if (submission == null) {
        throw new InvalidJobRequestException("the body must be a JSON object");
      }
      return submission;
    } catch (JacksonException e) {
      throw unreadable(e);
    }
  }

  /**
   * The problem for a body that could not be bound: malformed JSON, or a value of the wrong type,
   * named by its field.
   */
  public static InvalidJobRequestException unreadable(JacksonException e) {
    if (!(e instanceof DatabindException bind)) {
      return new InvalidJobRequestException(
          "the body is not valid JSON (or nests deeper than allowed): " + e.getOriginalMessage());
    }
    List<String> path = new ArrayList<>();
    StringBuilder where = new StringBuilder();
    for (JacksonException.Reference reference : bind.getPath()) {
      if (reference.getPropertyName() != null) {
        path.add(reference.getPropertyName());
        where.append(where.isEmpty() ? "" : ".").append(reference.getPropertyName());
      } else {
        where.append('[').append(reference.getIndex()).append(']');
      }
    }
    return new InvalidJobRequestException(wrongType(path, where.toString()));
  }

  private static String wrongType(List<String> path, String where) {
    if (path.isEmpty()) {
      return "the body must be a JSON object";
    }
    String field = path.get(0);
    return switch (field) {
      case "grid" ->
          switch (path.size()) {
            case 1 -> "grid must be an object with 'pipeline' and 'steps'";
            case 2 ->
                path.get(1).equals("steps")
                    ? "grid.steps must be an object of step id to parameter lists"
                    : where + " must be an object of parameter name to a list of values";
            default -> where + " must be an object of parameter name to a list of values";
          };
      case "env", "secrets" -> field + " must be an object of variable name to value";
      case "exclude", "include" ->
          where.equals(field)
              ? field + " must be a list of combinations like {\"pipeline\": {..}, \"steps\": {..}}"
              : field + JobSubmission.COMBINATION;
      case "runs" -> "runs must be a list of grid indices, e.g. [0, 2, 5]";
      case "schedule" ->
          path.size() == 1
              ? "schedule must be an object: {\"at\": time} or {\"cron\": expression, \"timezone\": zone}"
              : where + " must be a string";
      case "failFast" -> "failFast must be true or false";
      case "maxParallelRuns", "maxRetainedRuns" -> field + " must be a positive whole number";
      case "snapshot" -> "snapshot must be the id of an existing snapshot";
      case "timeout" -> "timeout is not a positive duration like " + DurationText.EXAMPLES;
      default -> where + " must be a string";
    };
  }

  /** Checks a submission; every problem is listed, in the order of {@link #FIELD_ORDER}. */
  public static JobRequest toRequest(JobSubmission submission, JobLimits limits) {
    if (submission == null) {
      throw new InvalidJobRequestException("the body must be a JSON object");
    }
    List<String> problems = problems(submission, limits);
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
    return convert(submission);
  }

  static List<String> problems(JobSubmission submission, JobLimits limits) {
    Validator validator =
        VALIDATORS.usingContext().constraintValidatorPayload(limits).getValidator();
    return BeanChecks.sorted(validator.validate(submission), FIELD_ORDER);
  }

  private static JobRequest convert(JobSubmission job) {
    boolean reuse = job.snapshot() != null;
    JobOptions options =
        new JobOptions(
            new RunSelection(partials(job.exclude()), partials(job.include()), job.runs()),
            schedule(job),
            job.failFast(),
            job.maxRetainedRuns(),
            job.snapshot(),
            job.timeout());
    Map<String, String> env = new LinkedHashMap<>();
    if (job.env() != null) {
      job.env().forEach((name, value) -> env.put(name, String.valueOf(value)));
    }
    // secrets: sealed by SecretSealer (sec helper)
    return new JobRequest(
        job.name().strip(),
        reuse ? blankToNull(job.project()) : job.project(),
        reuse ? blankToNull(job.pipeline()) : job.pipeline(),
        grid(job.grid()),
        env,
        job.maxParallelRuns(),
        options,
        job.parameters());
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text;
  }

  private static ParameterGrid grid(JobSubmission.Grid grid) {
    if (grid == null) {
      return ParameterGrid.EMPTY;
    }
    Map<String, Map<String, List<Object>>> steps = new LinkedHashMap<>();
    if (grid.steps() != null) {
      grid.steps().forEach((step, axes) -> steps.put(step, axes(axes)));
    }
    return new ParameterGrid(axes(grid.pipeline()), steps);
  }

  private static Map<String, List<Object>> axes(Map<String, Object> values) {
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    if (values != null) {
      values.forEach((name, list) -> axes.put(name, new ArrayList<>((List<?>) list)));
    }
    return axes;
  }

  private static List<RunParameters> partials(List<JobSubmission.Combination> combinations) {
    if (combinations == null) {
      return null;
    }
    List<RunParameters> partials = new ArrayList<>();
    for (JobSubmission.Combination combination : combinations) {
      if (combination == null) {
        continue;
      }
      partials.add(
          new RunParameters(
              combination.pipeline() == null ? Map.of() : combination.pipeline(),
              combination.steps() == null ? new LinkedHashMap<>() : combination.steps()));
    }
    return partials;
  }

  private static Schedule schedule(JobSubmission job) {
    JobSubmission.ScheduleSpec schedule = job.schedule();
    if (schedule == null) {
      return null;
    }
    String overlap = schedule.overlap() != null ? schedule.overlap() : job.overlap();
    String missed = schedule.missed() != null ? schedule.missed() : job.missed();
    String zone = schedule.timezone() != null ? schedule.timezone() : job.timezone();
    return new Schedule(
        schedule.at() == null ? null : OffsetDateTime.parse(schedule.at()),
        schedule.cron(),
        zone,
        overlap == null ? null : Schedule.Overlap.valueOf(overlap.toUpperCase(Locale.ROOT)),
        missed == null ? null : Schedule.Missed.valueOf(missed.toUpperCase(Locale.ROOT)));
  }
}

package io.gridrun.gateway.job;

import io.gridrun.common.pipeline.DurationText;
import io.gridrun.common.pipeline.ProjectPaths;
import io.gridrun.platform.web.Violations;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Constraints on single fields of a {@link JobSubmission}, with the API's messages. */
public final class FieldRules {

  private FieldRules() {}

  /** A project name: a directory name under the projects root, nothing that leaves it. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = ProjectNameValidator.class)
  public @interface ProjectName {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class ProjectNameValidator
      implements ConstraintValidator<ProjectName, String> {
    @Override
    public boolean isValid(String project, ConstraintValidatorContext context) {
      if (project == null || ProjectPaths.isSafeName(project)) {
        return true;
      }
      Violations.add(context, "project '" + project + "' is not a valid project name");
      return false;
    }
  }

  /** A pipeline file: a relative path inside the project. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = PipelinePathValidator.class)
  public @interface PipelinePath {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class PipelinePathValidator
      implements ConstraintValidator<PipelinePath, String> {
    @Override
    public boolean isValid(String pipeline, ConstraintValidatorContext context) {
      if (pipeline == null || ProjectPaths.isSafeRelative(pipeline)) {
        return true;
      }
      Violations.add(
          context, "pipeline '" + pipeline + "' must be a relative path inside the project");
      return false;
    }
  }

  /** Every parameter of the grid is a non-empty list of values. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = GridAxesValidator.class)
  public @interface GridAxes {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class GridAxesValidator
      implements ConstraintValidator<GridAxes, JobSubmission.Grid> {
    @Override
    public boolean isValid(JobSubmission.Grid grid, ConstraintValidatorContext context) {
      if (grid == null) {
        return true;
      }
      boolean valid = axes(grid.pipeline(), "grid.pipeline", context);
      if (grid.steps() != null) {
        for (Map.Entry<String, Map<String, Object>> step : grid.steps().entrySet()) {
          valid &= axes(step.getValue(), "grid.steps." + step.getKey(), context);
        }
      }
      return valid;
    }

    private static boolean axes(
        Map<String, Object> axes, String where, ConstraintValidatorContext context) {
      boolean valid = true;
      if (axes == null) {
        return true;
      }
      for (Map.Entry<String, Object> axis : axes.entrySet()) {
        String name = where + "." + axis.getKey();
        if (!(axis.getValue() instanceof List<?> values)) {
          Violations.add(context, name + " must be a list of values, e.g. [0.1, 0.01]");
          valid = false;
        } else if (values.isEmpty()) {
          Violations.add(context, name + " must list at least one value");
          valid = false;
        }
      }
      return valid;
    }
  }

  /** Variable names ({@code env}, {@code secrets}); env values are strings, numbers or booleans. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = VariableNamesValidator.class)
  public @interface VariableNames {
    String field();

    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class VariableNamesValidator
      implements ConstraintValidator<VariableNames, Map<String, ?>> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private String field;

    @Override
    public void initialize(VariableNames annotation) {
      field = annotation.field();
    }

    @Override
    public boolean isValid(Map<String, ?> variables, ConstraintValidatorContext context) {
      boolean valid = true;
      if (variables == null) {
        return true;
      }
      for (Map.Entry<String, ?> variable : variables.entrySet()) {
        Object value = variable.getValue();
        if (!NAME.matcher(variable.getKey()).matches()) {
          Violations.add(
              context,
              field + " variable name '" + variable.getKey() + "' is not a valid variable name");
          valid = false;
        } else if (value instanceof Map || value instanceof List || value == null) {
          Violations.add(
              context, field + "." + variable.getKey() + " must be a string, number or boolean");
          valid = false;
        }
      }
      return valid;
    }
  }

  /** The job's limit on each run: a positive duration like {@code 30m}, at most the limit. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = RunTimeoutValidator.class)
  public @interface RunTimeout {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class RunTimeoutValidator implements ConstraintValidator<RunTimeout, String> {
    @Override
    public boolean isValid(String timeout, ConstraintValidatorContext context) {
      if (timeout == null) {
        return true;
      }
      Optional<Duration> parsed = DurationText.parse(timeout);
      if (parsed.isEmpty() || parsed.get().isZero()) {
        Violations.add(
            context,
            "timeout '" + timeout + "' is not a positive duration like " + DurationText.EXAMPLES);
        return false;
      }
      Duration max = JobLimits.of(context).maxTimeout();
      if (parsed.get().compareTo(max) > 0) {
        Violations.add(
            context,
            "timeout '"
                + timeout
                + "' is longer than the limit of "
                + max
                + " (gridrun.gateway.limits.max-timeout)");
        return false;
      }
      return true;
    }
  }
}

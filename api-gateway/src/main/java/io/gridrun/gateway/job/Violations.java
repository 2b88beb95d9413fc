package io.gridrun.gateway.job;

import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * Adds a violation whose message is a finished sentence: it goes in as a message parameter, never
 * as a template, so the user's text in it ({@code {}}, {@code $}) is never interpolated.
 */
final class Violations {

  static final String TEMPLATE = "{problem}";

  private Violations() {}

  /** A violation of the validated value itself. */
  static void add(ConstraintValidatorContext context, String problem) {
    prepare(context, problem)
        .buildConstraintViolationWithTemplate(TEMPLATE)
        .addConstraintViolation();
  }

  /** A violation on one field of the validated object (for rules that span fields). */
  static void add(ConstraintValidatorContext context, String field, String problem) {
    prepare(context, problem)
        .buildConstraintViolationWithTemplate(TEMPLATE)
        .addPropertyNode(field)
        .addConstraintViolation();
  }

  /** The limits the validator was given, or the defaults. */
  static JobLimits limits(ConstraintValidatorContext context) {
    JobLimits limits =
        context
            .unwrap(HibernateConstraintValidatorContext.class)
            .getConstraintValidatorPayload(JobLimits.class);
    return limits == null ? JobLimits.DEFAULTS : limits;
  }

  private static ConstraintValidatorContext prepare(
      ConstraintValidatorContext context, String problem) {
    context.disableDefaultConstraintViolation();
    context
        .unwrap(HibernateConstraintValidatorContext.class)
        .addMessageParameter("problem", problem);
    return context;
  }
}

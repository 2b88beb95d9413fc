package io.gridrun.platform.web;

import jakarta.validation.ConstraintValidatorContext;
import org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext;

/**
 * Adds a violation whose message is a finished sentence: it goes in as a message parameter, never
 * as a template, so the user's text in it ({@code {}}, {@code $}) is never interpolated.
 */
public final class Violations {

  public static final String TEMPLATE = "{problem}";

  private Violations() {}

  /** A violation of the validated value itself. */
  public static void add(ConstraintValidatorContext context, String problem) {
    prepare(context, problem)
        .buildConstraintViolationWithTemplate(TEMPLATE)
        .addConstraintViolation();
  }

  /** A violation on one field of the validated object (for rules that span fields). */
  public static void add(ConstraintValidatorContext context, String field, String problem) {
    prepare(context, problem)
        .buildConstraintViolationWithTemplate(TEMPLATE)
        .addPropertyNode(field)
        .addConstraintViolation();
  }

  /** The payload the validator was given ({@code HibernateValidatorContext}), or null. */
  public static <T> T payload(ConstraintValidatorContext context, Class<T> type) {
    return context
        .unwrap(HibernateConstraintValidatorContext.class)
        .getConstraintValidatorPayload(type);
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

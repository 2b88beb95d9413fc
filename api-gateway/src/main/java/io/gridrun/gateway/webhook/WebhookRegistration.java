package io.gridrun.gateway.webhook;

import io.gridrun.platform.web.Violations;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The constraints of a {@link WebhookRequest}; each problem is a sentence for a person. */
public final class WebhookRegistration {

  static final int MAX_URL_LENGTH = 2048;

  private WebhookRegistration() {}

  /** Required; an http or https URL with a host, at most {@link #MAX_URL_LENGTH} characters. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = UrlValidator.class)
  public @interface WebhookUrl {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class UrlValidator implements ConstraintValidator<WebhookUrl, String> {
    @Override
    public boolean isValid(String url, ConstraintValidatorContext context) {
      String problem = url == null || url.isBlank() ? "url is required" : urlProblem(url);
      if (problem != null) {
        Violations.add(context, problem);
      }
      return problem == null;
    }
  }

  /** A non-empty list of known event names ({@link EventNames}). */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = EventsValidator.class)
  public @interface WebhookEvents {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class EventsValidator
      implements ConstraintValidator<WebhookEvents, List<Object>> {
    @Override
    public boolean isValid(List<Object> events, ConstraintValidatorContext context) {
      if (events == null || events.isEmpty()) {
        Violations.add(
            context, "events must be a non-empty list such as [\"job.failed\", \"job.succeeded\"]");
        return false;
      }
      boolean valid = true;
      for (Object event : events) {
        if (!(event instanceof String name && EventNames.isKnown(name))) {
          Violations.add(
              context,
              "event '"
                  + event
                  + "' is not one of <job|run|step>.<pending|started|paused|succeeded|failed|aborted> or *");
          valid = false;
        }
      }
      return valid;
    }
  }

  private static String urlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return "url '" + url + "' is not a valid URL";
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "url must use http or https, not '" + uri.getScheme() + "'";
    }
    if (uri.getHost() == null) {
      return "url '" + url + "' has no host";
    }
    if (url.length() > MAX_URL_LENGTH) {
      return "url is longer than " + MAX_URL_LENGTH + " characters";
    }
    return null;
  }
}

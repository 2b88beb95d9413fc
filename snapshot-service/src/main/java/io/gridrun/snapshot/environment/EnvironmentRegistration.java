package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.platform.web.StrictJson;
import io.gridrun.platform.web.Violations;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The body of {@code PUT /api/v1/environments/{name}}, bound by Jackson and checked with Bean
 * Validation: an existing {@code image}, or a {@code base} and a {@code setup} script to build one
 * ({@link ImageOrBuild}, a rule over both). Unknown fields are ignored. A value of the wrong JSON
 * type fails binding and is named by {@link #wrongType}.
 *
 * @param secrets write-only variables of the environment's steps (names like env names)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@EnvironmentRegistration.ImageOrBuild
record EnvironmentRegistration(
    @JsonDeserialize(using = StrictJson.Text.class) String image,
    @JsonDeserialize(using = StrictJson.Text.class) String base,
    @JsonDeserialize(using = StrictJson.Text.class) String setup,
    @StringValues Map<String, Object> env,
    @JsonDeserialize(using = StrictJson.Flag.class) Boolean network,
    @SecretNames Map<String, String> secrets) {

  /** The order in which problems are listed. */
  static final List<String> FIELDS = List.of("image", "base", "setup", "env", "network", "secrets");

  static final String IMAGE_REQUIRED =
      "image is required: the image reference, e.g. gridrun/busybox:test (or base and setup"
          + " for gridrun to build one)";
  static final String BASE_REQUIRED =
      "base is required for a build: the image to start from, e.g. gridrun/python:3-debian";

  /** Whether gridrun builds the image ({@code base} or {@code setup} given). */
  boolean build() {
    return base != null || setup != null;
  }

  /** The message for a field whose JSON value has the wrong type. */
  static String wrongType(String field) {
    return switch (field) {
      case "image" -> IMAGE_REQUIRED;
      case "base" -> BASE_REQUIRED;
      case "setup" -> "setup must be a shell script as a string";
      case "env" -> "env must be an object of variable name to string value";
      case "network" -> "network must be true or false";
      case "secrets" -> "secrets must be an object of variable name to string value";
      default -> "the body must be a JSON object like {\"image\": \"gridrun/busybox:test\"}";
    };
  }

  /** Either an image, or a base (and setup) to build one; not both. */
  @Target(ElementType.TYPE)
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = ImageOrBuildValidator.class)
  public @interface ImageOrBuild {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class ImageOrBuildValidator
      implements ConstraintValidator<ImageOrBuild, EnvironmentRegistration> {
    @Override
    public boolean isValid(EnvironmentRegistration body, ConstraintValidatorContext context) {
      boolean valid = true;
      if (body.build()) {
        if (body.image() != null) {
          Violations.add(
              context,
              "image",
              "give either image (an existing image) or base and setup (a build), not both");
          valid = false;
        }
        if (body.base() == null || body.base().isBlank()) {
          Violations.add(context, "base", BASE_REQUIRED);
          valid = false;
        } else if (!ImageReference.valid(body.base())) {
          Violations.add(context, "base", ImageReference.problem("base"));
          valid = false;
        }
      } else if (body.image() == null || body.image().isBlank()) {
        Violations.add(context, "image", IMAGE_REQUIRED);
        valid = false;
      } else if (!ImageReference.valid(body.image())) {
        Violations.add(context, "image", ImageReference.problem("image"));
        valid = false;
      }
      return valid;
    }
  }

  /** Every env value is a string. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = StringValuesValidator.class)
  public @interface StringValues {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class StringValuesValidator
      implements ConstraintValidator<StringValues, Map<String, Object>> {
    @Override
    public boolean isValid(Map<String, Object> env, ConstraintValidatorContext context) {
      boolean valid = true;
      if (env != null) {
        for (Map.Entry<String, Object> variable : env.entrySet()) {
          if (!(variable.getValue() instanceof String)) {
            Violations.add(context, "env." + variable.getKey() + " must be a string");
            valid = false;
          }
        }
      }
      return valid;
    }
  }

  /** Secret names are variable names. */
  @Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
  @Retention(RetentionPolicy.RUNTIME)
  @Constraint(validatedBy = SecretNamesValidator.class)
  public @interface SecretNames {
    String message() default Violations.TEMPLATE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
  }

  public static final class SecretNamesValidator
      implements ConstraintValidator<SecretNames, Map<String, String>> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public boolean isValid(Map<String, String> secrets, ConstraintValidatorContext context) {
      boolean valid = true;
      if (secrets != null) {
        for (String name : secrets.keySet()) {
          if (!NAME.matcher(name).matches()) {
            Violations.add(
                context, "secrets variable name '" + name + "' is not a valid variable name");
            valid = false;
          }
        }
      }
      return valid;
    }
  }
}

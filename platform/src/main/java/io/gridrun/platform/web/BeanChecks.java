package io.gridrun.platform.web;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Comparator;
import java.util.List;

/**
 * Bean Validation of a request record, its problems as sentences listed in the order of the
 * record's fields (then alphabetically), so that an answer lists them the same way every time.
 */
public final class BeanChecks {

  private static final Validator VALIDATOR =
      Validation.buildDefaultValidatorFactory().getValidator();

  private BeanChecks() {}

  public static List<String> problems(Object request, List<String> fieldOrder) {
    return sorted(VALIDATOR.validate(request), fieldOrder);
  }

  /** The violations' messages, by the rank of their field in {@code fieldOrder}. */
  public static <T> List<String> sorted(
      java.util.Set<ConstraintViolation<T>> violations, List<String> fieldOrder) {
    return violations.stream()
        .sorted(
            Comparator.comparingInt(
                    (ConstraintViolation<T> v) -> rank(v.getPropertyPath(), fieldOrder))
                .thenComparing(ConstraintViolation::getMessage))
        .map(ConstraintViolation::getMessage)
        .toList();
  }

  private static int rank(Path path, List<String> fieldOrder) {
    for (Path.Node node : path) {
      int rank = fieldOrder.indexOf(node.getName());
      return rank < 0 ? fieldOrder.size() : rank;
    }
    return fieldOrder.size();
  }
}

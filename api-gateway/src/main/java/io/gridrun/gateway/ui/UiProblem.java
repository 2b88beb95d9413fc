package io.gridrun.gateway.ui;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A problem detail (RFC 9457) as the API answered it, shown beside the form or page that caused it.
 *
 * @param errors every problem, when the API listed them (validation)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UiProblem(String title, Integer status, String detail, List<String> errors) {

  public UiProblem {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  static UiProblem of(int status) {
    return new UiProblem("HTTP " + status, status, null, List.of());
  }

  /** A problem found by the UI itself, before anything was sent. */
  public static UiProblem local(String title, String detail) {
    return new UiProblem(title, 400, detail, List.of());
  }
}

package io.gridrun.gateway.ui.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter values under their column names: {@code alpha} for a pipeline parameter, {@code
 * fit.depth} for step {@code fit}'s, the names the API's {@code param.<name>} filters and results
 * use.
 */
final class ParameterNames {

  private ParameterNames() {}

  /** {@code {"pipeline": {..}, "steps": {step: {..}}}} flattened to column name → value. */
  static Map<String, Object> flatten(Object pipeline, Object steps) {
    Map<String, Object> flat = new LinkedHashMap<>();
    if (pipeline instanceof Map<?, ?> p) {
      p.forEach((k, v) -> flat.put(String.valueOf(k), v));
    }
    if (steps instanceof Map<?, ?> s) {
      s.forEach(
          (step, values) -> {
            if (values instanceof Map<?, ?> m) {
              m.forEach((k, v) -> flat.put(step + "." + k, v));
            }
          });
    }
    return flat;
  }

  /** {@code alpha=0.1, fit.depth=3}. */
  static String text(Map<String, Object> flat) {
    List<String> parts = new ArrayList<>();
    flat.forEach((k, v) -> parts.add(k + "=" + JsonValues.text(v)));
    return String.join(", ", parts);
  }
}

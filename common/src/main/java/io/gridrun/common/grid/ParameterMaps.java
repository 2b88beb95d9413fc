package io.gridrun.common.grid;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Unmodifiable copies, in order, of parameter maps: the pipeline's and each step's. */
final class ParameterMaps {

  private ParameterMaps() {}

  /** The pipeline's parameters (none when null). */
  static <V> Map<String, V> pipeline(Map<String, V> pipeline) {
    return pipeline == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pipeline));
  }

  /** Each step's parameters (none when null, for the whole map or a step). */
  static <V> Map<String, Map<String, V>> steps(Map<String, Map<String, V>> steps) {
    Map<String, Map<String, V>> copy = new LinkedHashMap<>();
    if (steps != null) {
      steps.forEach(
          (step, params) ->
              copy.put(
                  step,
                  Collections.unmodifiableMap(
                      new LinkedHashMap<>(params == null ? Map.of() : params))));
    }
    return Collections.unmodifiableMap(copy);
  }
}

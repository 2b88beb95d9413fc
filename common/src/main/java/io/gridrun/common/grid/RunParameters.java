package io.gridrun.common.grid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter values of one run: pipeline parameters and, per step, step parameters. Values are
 * JSON values (numbers, strings, booleans, lists, objects), never their string forms.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunParameters(Map<String, Object> pipeline, Map<String, Map<String, Object>> steps) {

  public RunParameters {
    pipeline =
        pipeline == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pipeline));
    Map<String, Map<String, Object>> copy = new LinkedHashMap<>();
    if (steps != null) {
      steps.forEach(
          (step, params) ->
              copy.put(
                  step,
                  Collections.unmodifiableMap(
                      new LinkedHashMap<>(params == null ? Map.of() : params))));
    }
    steps = Collections.unmodifiableMap(copy);
  }

  public Map<String, Object> step(String stepId) {
    return steps.getOrDefault(stepId, Map.of());
  }
}

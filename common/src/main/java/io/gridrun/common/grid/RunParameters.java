package io.gridrun.common.grid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The parameter values of one run: pipeline parameters and, per step, step parameters. Values are
 * JSON values (numbers, strings, booleans, lists, objects), never their string forms.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunParameters(Map<String, Object> pipeline, Map<String, Map<String, Object>> steps) {

  public RunParameters {
    pipeline = ParameterMaps.pipeline(pipeline);
    steps = ParameterMaps.steps(steps);
  }

  public Map<String, Object> step(String stepId) {
    return steps.getOrDefault(stepId, Map.of());
  }
}

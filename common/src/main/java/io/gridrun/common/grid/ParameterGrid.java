package io.gridrun.common.grid;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values to sweep: for pipeline parameters and, per step, for step parameters, a list of values
 * each. Key order is significant: it fixes the order of the runs (see {@link GridExpansion}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParameterGrid(
    Map<String, List<Object>> pipeline, Map<String, Map<String, List<Object>>> steps) {

  public static final ParameterGrid EMPTY = new ParameterGrid(Map.of(), Map.of());

  public ParameterGrid {
    pipeline = ParameterMaps.pipeline(pipeline);
    steps = ParameterMaps.steps(steps);
  }

  /** What is wrong with this grid for {@code definition}; empty when it can be expanded. */
  public List<String> problems(PipelineDefinition definition) {
    List<String> problems = new ArrayList<>();
    pipeline.forEach(
        (name, values) -> {
          if (values == null || values.isEmpty()) {
            problems.add("grid.pipeline." + name + " must be a non-empty list of values");
          }
        });
    steps.forEach(
        (step, params) -> {
          if (definition.step(step).isEmpty()) {
            problems.add("grid.steps." + step + ": the pipeline has no step '" + step + "'");
          }
          params.forEach(
              (name, values) -> {
                if (values == null || values.isEmpty()) {
                  problems.add(
                      "grid.steps." + step + "." + name + " must be a non-empty list of values");
                }
              });
        });
    return problems;
  }
}

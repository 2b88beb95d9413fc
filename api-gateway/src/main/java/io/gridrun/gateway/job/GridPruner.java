package io.gridrun.gateway.job;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits an old job's grid to the pipeline as it is now, for duplicating a job: parameters and steps
 * the pipeline no longer has are dropped; new parameters take their defaults (they are simply
 * absent from the grid).
 */
final class GridPruner {

  private GridPruner() {}

  static ParameterGrid prune(ParameterGrid grid, PipelineDefinition pipeline) {
    Map<String, List<Object>> pipelineAxes = new LinkedHashMap<>();
    grid.pipeline()
        .forEach(
            (name, values) -> {
              if (pipeline.parameters().containsKey(name)) {
                pipelineAxes.put(name, values);
              }
            });
    Map<String, Map<String, List<Object>>> stepAxes = new LinkedHashMap<>();
    grid.steps()
        .forEach(
            (step, axes) ->
                pipeline
                    .step(step)
                    .ifPresent(
                        definition -> {
                          Map<String, List<Object>> kept = new LinkedHashMap<>();
                          axes.forEach(
                              (name, values) -> {
                                if (definition.parameters().containsKey(name)) {
                                  kept.put(name, values);
                                }
                              });
                          if (!kept.isEmpty()) {
                            stepAxes.put(step, kept);
                          }
                        }));
    return new ParameterGrid(pipelineAxes, stepAxes);
  }
}

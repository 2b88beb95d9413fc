package io.gridrun.gateway.job;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A grid's step parameters addressed by step title (an Orchest step's {@code title}) instead of
 * step id, as Orchest users name their steps: a key that is not a step id but the title of exactly
 * one step is replaced by that step's id. Anything else is left for the grid's own check.
 */
final class StepTitles {

  private StepTitles() {}

  static JobRequest resolve(JobRequest request, PipelineDefinition pipeline) {
    ParameterGrid grid = request.grid();
    if (grid == null || grid.steps() == null || grid.steps().isEmpty()) {
      return request;
    }
    Map<String, StepDefinition> byId =
        pipeline.steps().stream()
            .collect(Collectors.toMap(StepDefinition::id, Function.identity(), (a, b) -> a));
    Map<String, List<StepDefinition>> byTitle = new HashMap<>();
    pipeline.steps().stream()
        .filter(s -> s.title() != null)
        .forEach(s -> byTitle.computeIfAbsent(s.title(), t -> new java.util.ArrayList<>()).add(s));
    Map<String, Map<String, List<Object>>> steps = new LinkedHashMap<>();
    boolean changed = false;
    for (Map.Entry<String, Map<String, List<Object>>> entry : grid.steps().entrySet()) {
      String key = entry.getKey();
      List<StepDefinition> titled = byTitle.get(key);
      if (!byId.containsKey(key) && titled != null && titled.size() == 1) {
        key = titled.get(0).id();
        changed = true;
      }
      steps.merge(key, entry.getValue(), StepTitles::both);
    }
    if (!changed) {
      return request;
    }
    return new JobRequest(
        request.name(),
        request.project(),
        request.pipeline(),
        new ParameterGrid(grid.pipeline(), steps),
        request.env(),
        request.maxParallelRuns(),
        request.options(),
        request.orchestParameters());
  }

  /** A step addressed by id and by title at once: both axes, the id's first. */
  private static Map<String, List<Object>> both(
      Map<String, List<Object>> first, Map<String, List<Object>> second) {
    Map<String, List<Object>> merged = new LinkedHashMap<>(first);
    second.forEach((name, values) -> merged.putIfAbsent(name, Objects.requireNonNull(values)));
    return merged;
  }
}

package io.gridrun.gateway.job;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Orchest's shape of a run selection, as Orchest stored {@code job.parameters}: a list with one
 * entry per run, each mapping the pipeline's uuid (or {@code "pipeline"}) and step uuids (or unique
 * step titles) to that run's parameter values. It becomes the job's {@code runs}: the indices of
 * the grid combinations the entries name. Without a grid of its own, the job's grid is made from
 * the entries (each parameter's values in the order they first appear), so Orchest's list alone is
 * enough. It stands instead of {@code exclude}/{@code runs}, not with them.
 */
final class OrchestRuns {

  /** Beyond this many grid combinations the entries are not looked up. */
  static final long MAX_COMBINATIONS = 100_000;

  private OrchestRuns() {}

  static JobRequest apply(JobRequest request, PipelineDefinition pipeline) {
    List<Map<String, Map<String, Object>>> entries = request.orchestParameters();
    if (entries == null) {
      return request;
    }
    RunSelection selection = request.options().selection();
    if (selection.runs() != null || !selection.exclude().isEmpty()) {
      throw new InvalidJobRequestException(
          "parameters (Orchest's run selection) stands instead of exclude and runs: give one or"
              + " the other");
    }
    if (entries.isEmpty()) {
      throw new InvalidJobRequestException("parameters must name at least one run");
    }
    List<String> problems = new ArrayList<>();
    List<RunParameters> runs = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      runs.add(entry(pipeline, entries.get(i), "parameters[" + i + "]", problems));
    }
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
    ParameterGrid grid = empty(request.grid()) ? gridOf(runs) : request.grid();
    List<String> gridProblems = grid.problems(pipeline);
    if (!gridProblems.isEmpty()) {
      throw new InvalidJobRequestException(gridProblems);
    }
    GridExpansion expansion = new GridExpansion(pipeline, grid);
    if (expansion.size() > MAX_COMBINATIONS) {
      throw new InvalidJobRequestException(
          "parameters: the grid has more than " + MAX_COMBINATIONS + " combinations to look in");
    }
    TreeSet<Long> indices = new TreeSet<>();
    for (int i = 0; i < runs.size(); i++) {
      long found = find(expansion, runs.get(i));
      if (found < 0) {
        problems.add("parameters[" + i + "] matches no combination of the job's grid");
      } else {
        indices.add(found);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
    JobOptions options = request.options();
    JobOptions selected =
        new JobOptions(
            new RunSelection(selection.exclude(), selection.include(), List.copyOf(indices)),
            options.schedule(),
            options.failFast(),
            options.maxRetainedRuns(),
            options.snapshotId(),
            options.timeout());
    return new JobRequest(
        request.name(),
        request.project(),
        request.pipeline(),
        grid,
        request.env(),
        request.maxParallelRuns(),
        selected,
        null);
  }

  private static boolean empty(ParameterGrid grid) {
    return grid == null
        || ((grid.pipeline() == null || grid.pipeline().isEmpty())
            && (grid.steps() == null || grid.steps().isEmpty()));
  }

  private static RunParameters entry(
      PipelineDefinition pipeline,
      Map<String, Map<String, Object>> entry,
      String where,
      List<String> problems) {
    String uuid = pipeline.env().get("ORCHEST_PIPELINE_UUID");
    Map<String, Object> pipelineValues = new LinkedHashMap<>();
    Map<String, Map<String, Object>> stepValues = new LinkedHashMap<>();
    if (entry == null) {
      problems.add(where + " must be an object");
      return new RunParameters(pipelineValues, stepValues);
    }
    entry.forEach(
        (key, values) -> {
          if (values == null) {
            problems.add(where + "." + key + " must be an object of parameter values");
          } else if (key.equals("pipeline") || key.equals(uuid)) {
            pipelineValues.putAll(values);
          } else {
            String step = stepId(pipeline, key);
            if (step == null) {
              problems.add(
                  where
                      + ": '"
                      + key
                      + "' is neither the pipeline's uuid nor a step's uuid or title");
            } else {
              stepValues.computeIfAbsent(step, s -> new LinkedHashMap<>()).putAll(values);
            }
          }
        });
    return new RunParameters(pipelineValues, stepValues);
  }

  private static String stepId(PipelineDefinition pipeline, String key) {
    if (pipeline.step(key).isPresent()) {
      return key;
    }
    List<StepDefinition> titled =
        pipeline.steps().stream().filter(s -> key.equals(s.title())).toList();
    return titled.size() == 1 ? titled.get(0).id() : null;
  }

  /** Each parameter's values in the order they first appear in the entries. */
  private static ParameterGrid gridOf(List<RunParameters> runs) {
    Map<String, List<Object>> pipelineAxes = new LinkedHashMap<>();
    Map<String, Map<String, List<Object>>> stepAxes = new LinkedHashMap<>();
    for (RunParameters run : runs) {
      run.pipeline()
          .forEach(
              (name, value) ->
                  add(pipelineAxes.computeIfAbsent(name, n -> new ArrayList<>()), value));
      run.steps()
          .forEach(
              (step, values) ->
                  values.forEach(
                      (name, value) ->
                          add(
                              stepAxes
                                  .computeIfAbsent(step, s -> new LinkedHashMap<>())
                                  .computeIfAbsent(name, n -> new ArrayList<>()),
                              value)));
    }
    return new ParameterGrid(pipelineAxes, stepAxes);
  }

  /** Adds a value unless the axis has it already (10 and 10.0 alike). */
  private static void add(List<Object> axis, Object value) {
    if (axis.stream().noneMatch(v -> same(v, value))) {
      axis.add(value);
    }
  }

  private static long find(GridExpansion expansion, RunParameters wanted) {
    for (long i = 0; i < expansion.size(); i++) {
      RunParameters candidate = expansion.parametersAt(i);
      if (contains(candidate.pipeline(), wanted.pipeline())
          && wanted.steps().entrySet().stream()
              .allMatch(
                  e ->
                      contains(
                          candidate.steps().getOrDefault(e.getKey(), Map.of()), e.getValue()))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean contains(Map<String, Object> values, Map<String, Object> wanted) {
    return wanted.entrySet().stream()
        .allMatch(
            e -> values.containsKey(e.getKey()) && same(values.get(e.getKey()), e.getValue()));
  }

  /** JSON equality: 10 and 10.0 are the same number. */
  static boolean same(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
    }
    return Objects.equals(a, b);
  }
}

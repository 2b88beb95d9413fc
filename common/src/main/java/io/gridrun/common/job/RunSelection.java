package io.gridrun.common.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Which combinations of a grid become runs.
 *
 * <ul>
 *   <li>{@code runs}: if given, only these grid indices are kept (Orchest's deselect);
 *   <li>{@code exclude}: partial combinations; a grid combination matching any one of them is
 *       dropped (GitHub Actions semantics: every value given in the partial combination equals);
 *   <li>{@code include}: extra explicit combinations appended after the grid, each a partial
 *       combination over the pipeline's defaults.
 * </ul>
 *
 * Each partial combination has the shape of {@link RunParameters}: {@code {"pipeline": {..},
 * "steps": {step: {..}}}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunSelection(
    List<RunParameters> exclude, List<RunParameters> include, List<Long> runs) {

  public static final RunSelection ALL = new RunSelection(null, null, null);

  public RunSelection {
    exclude = exclude == null ? List.of() : List.copyOf(exclude);
    include = include == null ? List.of() : List.copyOf(include);
    runs = runs == null ? null : List.copyOf(new TreeSet<>(runs));
  }

  /** Whether grid combination {@code index} with these parameters is kept. */
  public boolean keeps(long index, RunParameters parameters) {
    if (runs != null && Collections.binarySearch(runs, index) < 0) {
      return false;
    }
    return exclude.stream().noneMatch(partial -> matches(partial, parameters));
  }

  /** The parameters of include {@code i}: the pipeline's defaults overridden by the include. */
  public RunParameters included(int i, RunParameters defaults) {
    RunParameters extra = include.get(i);
    Map<String, Object> pipeline = new LinkedHashMap<>(defaults.pipeline());
    pipeline.putAll(extra.pipeline());
    Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
    defaults.steps().forEach((step, values) -> steps.put(step, new LinkedHashMap<>(values)));
    extra
        .steps()
        .forEach(
            (step, values) ->
                steps.computeIfAbsent(step, s -> new LinkedHashMap<>()).putAll(values));
    return new RunParameters(pipeline, steps);
  }

  /** Number of runs this selection yields from {@code grid}; streams, holds nothing. */
  public long count(GridExpansion grid) {
    if (exclude.isEmpty()) {
      long kept =
          runs == null ? grid.size() : runs.stream().filter(i -> i >= 0 && i < grid.size()).count();
      return kept + include.size();
    }
    long kept = 0;
    for (long i = 0; i < grid.size(); i++) {
      if (keeps(i, grid.parametersAt(i))) {
        kept++;
      }
    }
    return kept + include.size();
  }

  /** Problems a person can act on, e.g. indices outside the grid. */
  public List<String> problems(GridExpansion grid) {
    List<String> problems = new ArrayList<>();
    if (runs != null) {
      runs.stream()
          .filter(i -> i < 0 || i >= grid.size())
          .findFirst()
          .ifPresent(
              i ->
                  problems.add(
                      "runs: "
                          + i
                          + " is not an index of the grid (0.."
                          + (grid.size() - 1)
                          + ")"));
    }
    return problems;
  }

  static boolean matches(RunParameters partial, RunParameters parameters) {
    for (var e : partial.pipeline().entrySet()) {
      if (!sameValue(e.getValue(), parameters.pipeline().get(e.getKey()))) {
        return false;
      }
    }
    for (var step : partial.steps().entrySet()) {
      Map<String, Object> actual = parameters.step(step.getKey());
      for (var e : step.getValue().entrySet()) {
        if (!sameValue(e.getValue(), actual.get(e.getKey()))) {
          return false;
        }
      }
    }
    return true;
  }

  /** JSON equality: 3 and 3.0 are the same number. */
  static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new java.math.BigDecimal(x.toString())
              .compareTo(new java.math.BigDecimal(y.toString()))
          == 0;
    }
    return Objects.equals(a, b);
  }
}

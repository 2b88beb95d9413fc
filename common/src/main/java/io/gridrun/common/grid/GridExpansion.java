package io.gridrun.common.grid;

import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cartesian product of a grid over a pipeline's defaults, computed per index so that a grid of
 * any size is never held in memory.
 *
 * <p>Axes are ordered: pipeline parameters in grid order, then steps in pipeline order with their
 * parameters in grid order. The first axis varies slowest, the last fastest. Parameters absent from
 * the grid keep the pipeline's defaults.
 */
public final class GridExpansion {

  private record Axis(String step, String name, List<Object> values) {}

  private final PipelineDefinition pipeline;
  private final List<Axis> axes = new ArrayList<>();
  private final long size;

  public GridExpansion(PipelineDefinition pipeline, ParameterGrid grid) {
    this.pipeline = pipeline;
    grid.pipeline().forEach((name, values) -> axes.add(new Axis(null, name, values)));
    for (StepDefinition step : pipeline.steps()) {
      grid.steps()
          .getOrDefault(step.id(), Map.of())
          .forEach((name, values) -> axes.add(new Axis(step.id(), name, values)));
    }
    long product = 1;
    for (Axis axis : axes) {
      product = multiplySaturated(product, axis.values().size());
    }
    this.size = product;
  }

  /** The pipeline's own parameter values, without any grid: what an include overrides. */
  public static RunParameters defaults(PipelineDefinition pipeline) {
    return new GridExpansion(pipeline, ParameterGrid.EMPTY).parametersAt(0);
  }

  /** Number of combinations; {@link Long#MAX_VALUE} when the product overflows. */
  public long size() {
    return size;
  }

  /** The parameters of combination {@code index} (0-based, in run order). */
  public RunParameters parametersAt(long index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("combination " + index + " of " + size);
    }
    Map<String, Object> pipelineValues = new LinkedHashMap<>(pipeline.parameters());
    Map<String, Map<String, Object>> stepValues = new LinkedHashMap<>();
    for (StepDefinition step : pipeline.steps()) {
      boolean swept = axes.stream().anyMatch(a -> step.id().equals(a.step()));
      if (!step.parameters().isEmpty() || swept) {
        stepValues.put(step.id(), new LinkedHashMap<>(step.parameters()));
      }
    }
    long rest = index;
    for (int i = axes.size() - 1; i >= 0; i--) {
      Axis axis = axes.get(i);
      int radix = axis.values().size();
      Object value = axis.values().get((int) (rest % radix));
      rest /= radix;
      if (axis.step() == null) {
        pipelineValues.put(axis.name(), value);
      } else {
        stepValues.get(axis.step()).put(axis.name(), value);
      }
    }
    return new RunParameters(pipelineValues, stepValues);
  }

  /**
   * The value parameter {@code name} (of step {@code step}, or of the pipeline when {@code step} is
   * null) takes in combination {@code index}, computed from that parameter's axis alone; the
   * pipeline's default when the grid does not sweep it, null when the pipeline has no such
   * parameter. Equal to what {@link #parametersAt} holds for it, at a fraction of the cost.
   */
  public Object valueAt(long index, String step, String name) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException("combination " + index + " of " + size);
    }
    long rest = index;
    for (int i = axes.size() - 1; i >= 0; i--) {
      Axis axis = axes.get(i);
      int radix = axis.values().size();
      if (java.util.Objects.equals(axis.step(), step) && axis.name().equals(name)) {
        return axis.values().get((int) (rest % radix));
      }
      rest /= radix;
    }
    if (step == null) {
      return pipeline.parameters().get(name);
    }
    return pipeline.steps().stream()
        .filter(s -> s.id().equals(step))
        .findFirst()
        .map(s -> s.parameters().get(name))
        .orElse(null);
  }

  private static long multiplySaturated(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException overflow) {
      return Long.MAX_VALUE;
    }
  }
}

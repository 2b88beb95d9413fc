package io.gridrun.job.domain.view;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;

/**
 * A parameter as a URL names it: {@code lr} (a pipeline parameter) or {@code train.epochs} (step
 * {@code train}'s parameter {@code epochs}).
 */
public record ParameterName(String step, String name) {

  public static ParameterName parse(String key) {
    int dot = key.indexOf('.');
    return dot < 0
        ? new ParameterName(null, key)
        : new ParameterName(key.substring(0, dot), key.substring(dot + 1));
  }

  /** Its value in these parameters, or null. */
  public Object in(RunParameters parameters) {
    return step == null ? parameters.pipeline().get(name) : parameters.step(step).get(name);
  }

  /** Its value in combination {@code gridIndex} of the grid, or null. */
  public Object in(GridExpansion grid, long gridIndex) {
    return grid.valueAt(gridIndex, step, name);
  }
}

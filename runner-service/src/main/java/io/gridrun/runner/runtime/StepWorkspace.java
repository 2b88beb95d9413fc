package io.gridrun.runner.runtime;

import java.nio.file.Path;

/**
 * A step's host directories.
 *
 * @param project the run's working copy, shared by its steps
 * @param data the shared data directory
 * @param gridrun the step's own directory holding {@code params.json} and {@code metrics.json}
 */
public record StepWorkspace(Path project, Path data, Path gridrun) {

  public Path paramsFile() {
    return gridrun.resolve("params.json");
  }

  public Path metricsFile() {
    return gridrun.resolve("metrics.json");
  }
}

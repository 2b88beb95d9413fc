package io.gridrun.runner.runtime;

/** Paths as the step sees them: container mount points, or host paths for local processes. */
public record StepPaths(String project, String data, String paramsFile, String metricsFile) {

  /** Inside a container. */
  public static final StepPaths CONTAINER =
      new StepPaths("/project", "/data", "/gridrun/params.json", "/gridrun/metrics.json");
}

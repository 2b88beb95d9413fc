package io.gridrun.gateway.job;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import java.util.Map;

/**
 * A job submission after its JSON was read, before it is checked against the pipeline.
 *
 * @param project null when the job re-uses a snapshot ({@code options.snapshotId()})
 * @param pipeline null when the job re-uses a snapshot
 * @param orchestParameters Orchest's run selection ({@code parameters}), until {@link OrchestRuns}
 *     turned it into {@code runs} against the pipeline; null when not given
 */
public record JobRequest(
    String name,
    String project,
    String pipeline,
    ParameterGrid grid,
    Map<String, String> env,
    Integer maxParallelRuns,
    JobOptions options,
    java.util.List<Map<String, Map<String, Object>>> orchestParameters) {

  public JobRequest {
    options = options == null ? JobOptions.DEFAULTS : options;
  }

  public JobRequest(
      String name,
      String project,
      String pipeline,
      ParameterGrid grid,
      Map<String, String> env,
      Integer maxParallelRuns,
      JobOptions options) {
    this(name, project, pipeline, grid, env, maxParallelRuns, options, null);
  }

  public JobRequest(
      String name,
      String project,
      String pipeline,
      ParameterGrid grid,
      Map<String, String> env,
      Integer maxParallelRuns) {
    this(name, project, pipeline, grid, env, maxParallelRuns, null);
  }

  public boolean reusesSnapshot() {
    return options.snapshotId() != null;
  }
}

package io.gridrun.gateway.job;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import java.util.Map;

/**
 * A job submission after its JSON was read, before it is checked against the pipeline.
 *
 * @param project null when the job re-uses a snapshot ({@code options.snapshotId()})
 * @param pipeline null when the job re-uses a snapshot
 */
public record JobRequest(
    String name,
    String project,
    String pipeline,
    ParameterGrid grid,
    Map<String, String> env,
    Integer maxParallelRuns,
    JobOptions options) {

  public JobRequest {
    options = options == null ? JobOptions.DEFAULTS : options;
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

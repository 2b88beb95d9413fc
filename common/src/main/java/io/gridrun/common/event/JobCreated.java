package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import java.time.Instant;
import java.util.Map;

/**
 * A job was accepted by the gateway. Snapshot-service takes a snapshot for it; job-service records
 * it as {@code PENDING}.
 *
 * @param pipeline path of the pipeline file, relative to the project
 * @param env the job's environment variables (they win over pipeline and environment variables)
 * @param maxParallelRuns at most this many runs of the job execute at once; null = no limit
 * @param options selection, schedule and the other optional settings; never null once read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobCreated(
    String eventId,
    String jobId,
    Instant at,
    String name,
    String project,
    String pipeline,
    ParameterGrid grid,
    Map<String, String> env,
    Integer maxParallelRuns,
    JobOptions options)
    implements GridrunEvent {

  public static final String TYPE = "job.created";

  public JobCreated {
    options = options == null ? JobOptions.DEFAULTS : options;
  }

  /** A job that runs now with every combination of its grid. */
  public JobCreated(
      String eventId,
      String jobId,
      Instant at,
      String name,
      String project,
      String pipeline,
      ParameterGrid grid,
      Map<String, String> env,
      Integer maxParallelRuns) {
    this(eventId, jobId, at, name, project, pipeline, grid, env, maxParallelRuns, null);
  }

  @Override
  public String topic() {
    return Topics.JOBS;
  }
}

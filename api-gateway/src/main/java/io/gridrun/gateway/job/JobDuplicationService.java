package io.gridrun.gateway.job;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.platform.web.ApiProblem;
import java.util.Map;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/jobs/{id}/duplicate}: a new job with the same settings on a fresh snapshot of
 * the project as it is now. Grid parameters the pipeline no longer has are dropped; new ones take
 * their defaults.
 */
@Service
class JobDuplicationService {

  private final JobServiceClient jobs;
  private final SnapshotServiceClient snapshots;
  private final JobSubmissionService submissions;

  JobDuplicationService(
      JobServiceClient jobs, SnapshotServiceClient snapshots, JobSubmissionService submissions) {
    this.jobs = jobs;
    this.snapshots = snapshots;
    this.submissions = submissions;
  }

  Mono<String> duplicate(String jobId) {
    return jobs.job(jobId)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown job '" + jobId + "'")))
        .flatMap(this::duplicateOf);
  }

  @SuppressWarnings("unchecked")
  private Mono<String> duplicateOf(String json) {
    Map<String, Object> job = EventCodec.mapper().readValue(json, Map.class);
    String project = (String) job.get("project");
    String pipeline = (String) job.get("pipeline");
    if (project == null || pipeline == null) {
      return Mono.error(
          ApiProblem.conflict(
              "job '"
                  + job.get("id")
                  + "' re-used a snapshot and has no project to snapshot again"));
    }
    ParameterGrid grid =
        EventCodec.mapper().convertValue(job.getOrDefault("grid", Map.of()), ParameterGrid.class);
    JobOptions old =
        job.get("options") == null
            ? JobOptions.DEFAULTS
            : EventCodec.mapper().convertValue(job.get("options"), JobOptions.class);
    JobOptions options =
        new JobOptions(
            old.selection(),
            old.schedule(),
            old.failFast(),
            old.maxRetainedRuns(),
            null,
            old.timeout());
    Map<String, String> env = (Map<String, String>) job.getOrDefault("env", Map.of());
    Integer maxParallelRuns = (Integer) job.get("maxParallelRuns");
    return snapshots
        .pipeline(project, pipeline)
        .map(
            current ->
                new JobRequest(
                    (String) job.get("name"),
                    project,
                    pipeline,
                    GridPruner.prune(grid, current),
                    env,
                    maxParallelRuns,
                    options))
        .flatMap(submissions::submit);
  }
}

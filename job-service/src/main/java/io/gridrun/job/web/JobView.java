package io.gridrun.job.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.Batches;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.MetricBest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job as the API shows it (docs/api.md).
 *
 * @param workingCopiesRemoved only for a job with {@code maxRetainedRuns}
 * @param scheduled only for a job with a schedule: its fields appear in the job's object
 */
@JsonPropertyOrder({
  "id",
  "name",
  "project",
  "pipeline",
  "status",
  "runCount",
  "runCounts",
  "materializedRuns",
  "dispatchedRuns",
  "snapshotId",
  "reason",
  "createdAt",
  "startedAt",
  "finishedAt",
  "env",
  "grid",
  "maxParallelRuns",
  "options",
  "best",
  "gridRuns",
  "batches",
  "workingCopiesRemoved"
})
public record JobView(
    String id,
    String name,
    String project,
    String pipeline,
    String status,
    long runCount,
    Map<String, Long> runCounts,
    long materializedRuns,
    long dispatchedRuns,
    String snapshotId,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, String> env,
    ParameterGrid grid,
    Integer maxParallelRuns,
    JobOptions options,
    Map<String, MetricBest> best,
    long gridRuns,
    int batches,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long workingCopiesRemoved,
    @JsonUnwrapped Scheduled scheduled) {

  /** A schedule's state, shown with the job. */
  @JsonPropertyOrder({"schedule", "timezone", "nextRunAt", "skippedFirings", "firings"})
  public record Scheduled(
      Schedule schedule,
      String timezone,
      Instant nextRunAt,
      long skippedFirings,
      List<Batches.Firing> firings) {}

  public static JobView of(JobRecord job) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (ExecutionStatus s : ExecutionStatus.values()) {
      counts.put(s.name(), job.runCounts().get(s));
    }
    Schedule schedule = job.schedule();
    return new JobView(
        job.id(),
        job.name(),
        job.project(),
        job.pipeline(),
        job.status().name(),
        job.runCount(),
        counts,
        job.materialized(),
        job.dispatched(),
        job.snapshotId(),
        job.reason(),
        job.createdAt(),
        job.startedAt(),
        job.finishedAt(),
        job.env(),
        job.grid(),
        job.maxParallelRuns(),
        job.options(),
        job.best(),
        job.gridRuns(),
        job.batches().count(),
        job.options().maxRetainedRuns() != null ? job.releasedBelow() : null,
        schedule == null
            ? null
            : new Scheduled(
                schedule,
                schedule.timezone() != null ? schedule.timezone() : "UTC",
                job.batches().nextRunAt(),
                job.batches().skippedFirings(),
                job.batches().recentFirings()));
  }
}

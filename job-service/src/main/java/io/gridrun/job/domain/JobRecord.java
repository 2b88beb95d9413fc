package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job with what job-service needs to run it: its settings, its snapshot, and counters kept up to
 * date on every run transition (never counted on read).
 *
 * @param materialized run documents written so far (expansion progress)
 * @param dispatched runs requested so far; runs are requested in sequence order, so this is also
 *     the sequence number of the next run to request
 * @param finished runs that reached a terminal status
 * @param runCounts runs per status
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRecord(
    String id,
    String name,
    String project,
    String pipeline,
    JobStatus status,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    ParameterGrid grid,
    Map<String, String> env,
    Integer maxParallelRuns,
    JobOptions options,
    String snapshotId,
    String manifest,
    PipelineDefinition definition,
    Map<String, PinnedEnvironment> environments,
    long runCount,
    long materialized,
    long dispatched,
    long finished,
    Map<ExecutionStatus, Long> runCounts,
    Map<String, MetricBest> best) {

  public JobRecord {
    EnumMap<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus s : ExecutionStatus.values()) {
      counts.put(s, runCounts == null ? 0L : runCounts.getOrDefault(s, 0L));
    }
    runCounts = counts;
    env = env == null ? Map.of() : new LinkedHashMap<>(env);
    options = options == null ? JobOptions.DEFAULTS : options;
    best = best == null ? Map.of() : new java.util.TreeMap<>(best);
  }

  /** The job with the best runs per metric after a step reported {@code metrics}. */
  public JobRecord withBest(Map<String, MetricBest> best) {
    return new JobRecord(
        id,
        name,
        project,
        pipeline,
        status,
        reason,
        createdAt,
        startedAt,
        finishedAt,
        grid,
        env,
        maxParallelRuns,
        options,
        snapshotId,
        manifest,
        definition,
        environments,
        runCount,
        materialized,
        dispatched,
        finished,
        runCounts,
        best);
  }

  /** Runs requested but not yet ended. */
  public long inFlight() {
    return dispatched - finished;
  }

  /** How many more runs may be requested now. */
  public long dispatchAllowance() {
    if (status.isTerminal() || status == JobStatus.PAUSED) {
      return 0;
    }
    long waiting = materialized - dispatched;
    if (maxParallelRuns == null) {
      return waiting;
    }
    return Math.max(0, Math.min(waiting, maxParallelRuns - inFlight()));
  }

  public JobRecord withStatus(JobStatus next, String why, Instant at) {
    if (!status.canTransitionTo(next)) {
      return this;
    }
    return new JobRecord(
        id,
        name,
        project,
        pipeline,
        next,
        why != null ? why : reason,
        createdAt,
        next == JobStatus.STARTED && startedAt == null ? at : startedAt,
        next.isTerminal() ? at : finishedAt,
        grid,
        env,
        maxParallelRuns,
        options,
        snapshotId,
        manifest,
        definition,
        environments,
        runCount,
        materialized,
        dispatched,
        finished,
        runCounts,
        best);
  }

  public JobRecord withSnapshot(
      String snapshotId,
      String manifest,
      PipelineDefinition definition,
      Map<String, PinnedEnvironment> environments,
      long runCount) {
    return new JobRecord(
        id,
        name,
        project,
        pipeline,
        status,
        reason,
        createdAt,
        startedAt,
        finishedAt,
        grid,
        env,
        maxParallelRuns,
        options,
        snapshotId,
        manifest,
        definition,
        environments,
        runCount,
        materialized,
        dispatched,
        finished,
        runCounts,
        best);
  }

  public JobRecord withMaterialized(long materialized, long pending) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(runCounts);
    counts.merge(ExecutionStatus.PENDING, pending, Long::sum);
    return new JobRecord(
        id,
        name,
        project,
        pipeline,
        status,
        reason,
        createdAt,
        startedAt,
        finishedAt,
        grid,
        env,
        maxParallelRuns,
        options,
        snapshotId,
        manifest,
        definition,
        environments,
        runCount,
        materialized,
        dispatched,
        finished,
        counts,
        best);
  }

  public JobRecord withDispatched(long dispatched) {
    return new JobRecord(
        id,
        name,
        project,
        pipeline,
        status,
        reason,
        createdAt,
        startedAt,
        finishedAt,
        grid,
        env,
        maxParallelRuns,
        options,
        snapshotId,
        manifest,
        definition,
        environments,
        runCount,
        materialized,
        dispatched,
        finished,
        runCounts,
        best);
  }

  /** Counts a run moving from one status to another. */
  public JobRecord counting(ExecutionStatus from, ExecutionStatus to) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(runCounts);
    counts.merge(from, -1L, Long::sum);
    counts.merge(to, 1L, Long::sum);
    long ended = finished + (to.isTerminal() && !from.isTerminal() ? 1 : 0);
    return new JobRecord(
        id,
        name,
        project,
        pipeline,
        status,
        reason,
        createdAt,
        startedAt,
        finishedAt,
        grid,
        env,
        maxParallelRuns,
        options,
        snapshotId,
        manifest,
        definition,
        environments,
        runCount,
        materialized,
        dispatched,
        ended,
        counts,
        best);
  }

  /** A one-off job ends when every run ended: SUCCESS if all succeeded, else FAILURE. */
  public JobRecord completedIfAllRunsEnded(Instant at) {
    if (status != JobStatus.STARTED
        || runCount == 0
        || finished < runCount
        || materialized < runCount) {
      return this;
    }
    long succeeded = runCounts.get(ExecutionStatus.SUCCESS);
    if (succeeded == runCount) {
      return withStatus(JobStatus.SUCCESS, null, at);
    }
    return withStatus(
        JobStatus.FAILURE,
        (runCount - succeeded) + " of " + runCount + " runs did not succeed",
        at);
  }
}

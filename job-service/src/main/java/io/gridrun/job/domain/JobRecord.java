package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.Schedule;
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
 * @param gridRuns runs in one batch of the grid (after selection)
 * @param runCount runs of all batches started so far
 * @param materialized run documents written so far (expansion progress)
 * @param dispatched runs requested so far; runs are requested in sequence order, so this is also
 *     the sequence number of the next run to request
 * @param finished runs that reached a terminal status
 * @param runCounts runs per status
 * @param releasedBelow runs with a lower sequence number had their working copies removed ({@code
 *     maxRetainedRuns}); their status and logs stay
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
    long gridRuns,
    long runCount,
    long materialized,
    long dispatched,
    long finished,
    Map<ExecutionStatus, Long> runCounts,
    Map<String, MetricBest> best,
    Batches batches,
    long releasedBelow) {

  public JobRecord {
    EnumMap<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus s : ExecutionStatus.values()) {
      counts.put(s, runCounts == null ? 0L : runCounts.getOrDefault(s, 0L));
    }
    runCounts = counts;
    env = env == null ? Map.of() : new LinkedHashMap<>(env);
    options = options == null ? JobOptions.DEFAULTS : options;
    best = best == null ? Map.of() : new java.util.TreeMap<>(best);
    batches = batches == null ? Batches.NONE : batches;
  }

  /** A job as created, before its snapshot. */
  public static JobRecord created(
      String id,
      String name,
      String project,
      String pipeline,
      Instant createdAt,
      ParameterGrid grid,
      Map<String, String> env,
      Integer maxParallelRuns,
      JobOptions options) {
    Builder b = new Builder();
    b.id = id;
    b.name = name;
    b.project = project;
    b.pipeline = pipeline;
    b.status = JobStatus.PENDING;
    b.createdAt = createdAt;
    b.grid = grid;
    b.env = env;
    b.maxParallelRuns = maxParallelRuns;
    b.options = options;
    return b.build();
  }

  /** The job's schedule; null for a job that runs once, right away. */
  public Schedule schedule() {
    return options.schedule();
  }

  /** Whether the job runs on a cron schedule: it then never ends by itself. */
  public boolean recurring() {
    return schedule() != null && schedule().recurring();
  }

  /** Runs requested but not yet ended. */
  public long inFlight() {
    return dispatched - finished;
  }

  /** How many more runs may be requested now. */
  public long dispatchAllowance() {
    if (status.isTerminal()) {
      return 0;
    }
    long waiting = materialized - dispatched;
    if (maxParallelRuns == null) {
      return waiting;
    }
    return Math.max(0, Math.min(waiting, maxParallelRuns - inFlight()));
  }

  public JobRecord withBest(Map<String, MetricBest> best) {
    Builder b = toBuilder();
    b.best = best;
    return b.build();
  }

  public JobRecord withStatus(JobStatus next, String why, Instant at) {
    if (!status.canTransitionTo(next)) {
      return this;
    }
    Builder b = toBuilder();
    b.status = next;
    b.reason = why != null ? why : reason;
    b.startedAt = next == JobStatus.STARTED && startedAt == null ? at : startedAt;
    b.finishedAt = next.isTerminal() ? at : finishedAt;
    if (next.isTerminal() || next == JobStatus.PAUSED) {
      b.batches = batches.withNextRunAt(null);
    }
    return b.build();
  }

  /**
   * A one-off job that ended FAILURE or ABORTED, open again for a batch of re-runs: the one way
   * back from a terminal state, taken only on the user's explicit {@code rerun-failed}.
   */
  public JobRecord reopenedForRerun(Instant at) {
    if (status != JobStatus.FAILURE && status != JobStatus.ABORTED) {
      return this;
    }
    Builder b = toBuilder();
    b.status = JobStatus.STARTED;
    b.reason = null;
    b.finishedAt = null;
    return b.build();
  }

  public JobRecord withSnapshot(
      String snapshotId,
      String manifest,
      PipelineDefinition definition,
      Map<String, PinnedEnvironment> environments,
      long gridRuns) {
    Builder b = toBuilder();
    b.snapshotId = snapshotId;
    b.manifest = manifest;
    b.definition = definition;
    b.environments = environments;
    b.gridRuns = gridRuns;
    return b.build();
  }

  /** The job once a batch of {@code size} runs started after all runs written so far. */
  public JobRecord withBatchStarted(long size, Long rerunOf, Long rerunOfSize) {
    Builder b = toBuilder();
    b.batches = batches.started(runCount, size, rerunOf, rerunOfSize);
    b.runCount = runCount + size;
    return b.build();
  }

  /**
   * Once every run ended: the runs whose working copies go because more than {@code
   * maxRetainedRuns} finished runs exist, as the range {@code [releasedBelow, end)}; empty if none.
   */
  public long releasableBelow() {
    Integer max = options.maxRetainedRuns();
    if (max == null || !allRunsEnded()) {
      return releasedBelow;
    }
    return Math.max(releasedBelow, runCount - max);
  }

  public JobRecord withReleasedBelow(long below) {
    Builder b = toBuilder();
    b.releasedBelow = below;
    return b.build();
  }

  public JobRecord withBatches(Batches batches) {
    Builder b = toBuilder();
    b.batches = batches;
    return b.build();
  }

  public JobRecord withNextRunAt(Instant next) {
    return withBatches(batches.withNextRunAt(next));
  }

  public JobRecord recording(Batches.Firing firing) {
    return withBatches(batches.recording(firing));
  }

  public JobRecord withMaterialized(long materialized, long pending) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(runCounts);
    counts.merge(ExecutionStatus.PENDING, pending, Long::sum);
    Builder b = toBuilder();
    b.materialized = materialized;
    b.runCounts = counts;
    return b.build();
  }

  public JobRecord withDispatched(long dispatched) {
    Builder b = toBuilder();
    b.dispatched = dispatched;
    return b.build();
  }

  /** Counts run {@code seq} moving from one status to another. */
  public JobRecord counting(long seq, ExecutionStatus from, ExecutionStatus to) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(runCounts);
    counts.merge(from, -1L, Long::sum);
    counts.merge(to, 1L, Long::sum);
    Builder b = toBuilder();
    b.runCounts = counts;
    boolean ended = to.isTerminal() && !from.isTerminal();
    b.finished = finished + (ended ? 1 : 0);
    if (ended && seq >= batches.currentStart()) {
      b.batches = batches.ended(to);
    }
    return b.build();
  }

  /** Whether every run of every batch started so far has ended. */
  public boolean allRunsEnded() {
    return finished >= runCount && materialized >= runCount;
  }

  /**
   * A job that is not on a cron schedule ends once every run ended: SUCCESS if all runs of its last
   * batch succeeded, else FAILURE. (Its only batch, unless failed runs were re-run.)
   */
  public JobRecord completedIfAllRunsEnded(Instant at) {
    if (status != JobStatus.STARTED || recurring() || runCount == 0 || !allRunsEnded()) {
      return this;
    }
    // re-runs replace the failures they re-ran: the last batch's outcome is the job's
    long unsuccessful = batches.currentSize() - batches.currentSucceeded();
    if (unsuccessful == 0) {
      return withStatus(JobStatus.SUCCESS, null, at);
    }
    return withStatus(
        JobStatus.FAILURE,
        unsuccessful + " of " + batches.currentSize() + " runs did not succeed",
        at);
  }

  Builder toBuilder() {
    Builder b = new Builder();
    b.id = id;
    b.name = name;
    b.project = project;
    b.pipeline = pipeline;
    b.status = status;
    b.reason = reason;
    b.createdAt = createdAt;
    b.startedAt = startedAt;
    b.finishedAt = finishedAt;
    b.grid = grid;
    b.env = env;
    b.maxParallelRuns = maxParallelRuns;
    b.options = options;
    b.snapshotId = snapshotId;
    b.manifest = manifest;
    b.definition = definition;
    b.environments = environments;
    b.gridRuns = gridRuns;
    b.runCount = runCount;
    b.materialized = materialized;
    b.dispatched = dispatched;
    b.finished = finished;
    b.runCounts = runCounts;
    b.best = best;
    b.batches = batches;
    b.releasedBelow = releasedBelow;
    return b;
  }

  /** Copies a job with some fields changed; keeps the with-methods above one line each. */
  static final class Builder {
    String id;
    String name;
    String project;
    String pipeline;
    JobStatus status;
    String reason;
    Instant createdAt;
    Instant startedAt;
    Instant finishedAt;
    ParameterGrid grid;
    Map<String, String> env;
    Integer maxParallelRuns;
    JobOptions options;
    String snapshotId;
    String manifest;
    PipelineDefinition definition;
    Map<String, PinnedEnvironment> environments;
    long gridRuns;
    long runCount;
    long materialized;
    long dispatched;
    long finished;
    Map<ExecutionStatus, Long> runCounts;
    Map<String, MetricBest> best;
    Batches batches;
    long releasedBelow;

    JobRecord build() {
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
          gridRuns,
          runCount,
          materialized,
          dispatched,
          finished,
          runCounts,
          best,
          batches,
          releasedBelow);
    }
  }
}

package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.data.mongodb.core.mapping.Unwrapped;

/**
 * A job with what job-service needs to run it: its settings, its snapshot ({@link JobSnapshot}),
 * counters kept up to date on every run transition ({@link RunCounters}, never counted on read),
 * and its batches and schedule state ({@link Batches}). Stored flat, as before the grouping: the
 * snapshot's and the counters' fields are unwrapped into the job's document (in JSON and in
 * MongoDB).
 *
 * <p>Copies with changed fields go through the generated {@code JobRecordBuilder}; the status moves
 * only through {@link #withStatus}, which keeps to the job lifecycle.
 */
@RecordBuilder
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
    @JsonUnwrapped @Unwrapped.Nullable JobSnapshot snapshot,
    @JsonUnwrapped @Unwrapped.Nullable RunCounters counters,
    Map<String, MetricBest> best,
    Batches batches,
    Instant cancelRequestedAt) {

  /** The reason of a job that the user cancelled. */
  public static final String CANCELLED = "cancelled";

  public JobRecord {
    env = env == null ? Map.of() : new LinkedHashMap<>(env);
    options = options == null ? JobOptions.DEFAULTS : options;
    snapshot = snapshot == null ? JobSnapshot.NONE : snapshot;
    counters = counters == null ? RunCounters.NONE : counters;
    best = best == null ? Map.of() : new TreeMap<>(best);
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
    return JobRecordBuilder.builder()
        .id(id)
        .name(name)
        .project(project)
        .pipeline(pipeline)
        .status(JobStatus.PENDING)
        .createdAt(createdAt)
        .grid(grid)
        .env(env)
        .maxParallelRuns(maxParallelRuns)
        .options(options)
        .build();
  }

  // ---- the snapshot's and the counters' fields, as the rest of job-service reads them

  public String snapshotId() {
    return snapshot.snapshotId();
  }

  public String manifest() {
    return snapshot.manifest();
  }

  public PipelineDefinition definition() {
    return snapshot.definition();
  }

  public Map<String, PinnedEnvironment> environments() {
    return snapshot.environments();
  }

  /** Runs in one batch of the grid (after selection). */
  public long gridRuns() {
    return snapshot.gridRuns();
  }

  public long runCount() {
    return counters.runCount();
  }

  public long materialized() {
    return counters.materialized();
  }

  public long dispatched() {
    return counters.dispatched();
  }

  public long finished() {
    return counters.finished();
  }

  public Map<ExecutionStatus, Long> runCounts() {
    return counters.runCounts();
  }

  public long releasedBelow() {
    return counters.releasedBelow();
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
    return counters.inFlight();
  }

  /** How many more runs may be requested now. */
  public long dispatchAllowance() {
    if (status.isTerminal()) {
      return 0;
    }
    long waiting = materialized() - dispatched();
    if (maxParallelRuns == null) {
      return waiting;
    }
    return Math.max(0, Math.min(waiting, maxParallelRuns - inFlight()));
  }

  /**
   * The user's cancel, recorded before any run is aborted for it: should the stack die before the
   * cancel is through, the runs it aborted may be counted before the cancel is applied again, and
   * the job then ends {@code ABORTED} as cancelled, not {@code FAILURE} (see {@link
   * #completedIfAllRunsEnded}).
   */
  public JobRecord withCancelRequested(Instant at) {
    return JobRecordBuilder.builder(this).cancelRequestedAt(at).build();
  }

  public JobRecord withBest(Map<String, MetricBest> best) {
    return JobRecordBuilder.builder(this).best(best).build();
  }

  public JobRecord withStatus(JobStatus next, String why, Instant at) {
    if (!status.canTransitionTo(next)) {
      return this;
    }
    return JobRecordBuilder.builder(this)
        .status(next)
        .reason(why != null ? why : reason)
        .startedAt(next == JobStatus.STARTED && startedAt == null ? at : startedAt)
        .finishedAt(next.isTerminal() ? at : finishedAt)
        .batches(
            next.isTerminal() || next == JobStatus.PAUSED ? batches.withNextRunAt(null) : batches)
        .build();
  }

  /**
   * A one-off job that ended FAILURE or ABORTED, open again for a batch of re-runs: the one way
   * back from a terminal state, taken only on the user's explicit {@code rerun-failed}.
   */
  public JobRecord reopenedForRerun(Instant at) {
    if (status != JobStatus.FAILURE && status != JobStatus.ABORTED) {
      return this;
    }
    return JobRecordBuilder.builder(this)
        .status(JobStatus.STARTED)
        .reason(null)
        .finishedAt(null)
        .cancelRequestedAt(null)
        .build();
  }

  public JobRecord withSnapshot(
      String snapshotId,
      String manifest,
      PipelineDefinition definition,
      Map<String, PinnedEnvironment> environments,
      long gridRuns) {
    return JobRecordBuilder.builder(this)
        .snapshot(new JobSnapshot(snapshotId, manifest, definition, environments, gridRuns))
        .build();
  }

  /** The job once a batch of {@code size} runs started after all runs written so far. */
  public JobRecord withBatchStarted(long size, Long rerunOf, Long rerunOfSize) {
    return JobRecordBuilder.builder(this)
        .batches(batches.started(runCount(), size, rerunOf, rerunOfSize))
        .counters(counters.withRunCount(runCount() + size))
        .build();
  }

  /**
   * Once every run ended: the runs whose working copies go because more than {@code
   * maxRetainedRuns} finished runs exist, as the range {@code [releasedBelow, end)}; empty if none.
   */
  public long releasableBelow() {
    Integer max = options.maxRetainedRuns();
    if (max == null || !allRunsEnded()) {
      return releasedBelow();
    }
    return Math.max(releasedBelow(), runCount() - max);
  }

  public JobRecord withReleasedBelow(long below) {
    return withCounters(counters.withReleasedBelow(below));
  }

  public JobRecord withBatches(Batches batches) {
    return JobRecordBuilder.builder(this).batches(batches).build();
  }

  public JobRecord withNextRunAt(Instant next) {
    return withBatches(batches.withNextRunAt(next));
  }

  public JobRecord recording(Batches.Firing firing) {
    return withBatches(batches.recording(firing));
  }

  public JobRecord withMaterialized(long materialized, long pending) {
    return withCounters(counters.materialized(materialized, pending));
  }

  public JobRecord withDispatched(long dispatched) {
    return withCounters(counters.withDispatched(dispatched));
  }

  private JobRecord withCounters(RunCounters counters) {
    return JobRecordBuilder.builder(this).counters(counters).build();
  }

  /** Counts run {@code seq} moving from one status to another. */
  public JobRecord counting(long seq, ExecutionStatus from, ExecutionStatus to) {
    boolean ended = to.isTerminal() && !from.isTerminal();
    return JobRecordBuilder.builder(this)
        .counters(counters.counting(from, to))
        .batches(ended && seq >= batches.currentStart() ? batches.ended(to) : batches)
        .build();
  }

  /**
   * The job with its run counters as counted from its runs: {@code all} per status, and {@code
   * current} per status for the current batch's runs.
   */
  public JobRecord recounted(Map<ExecutionStatus, Long> all, Map<ExecutionStatus, Long> current) {
    return JobRecordBuilder.builder(this)
        .counters(counters.recounted(all))
        .batches(
            batches.count() == 0
                ? batches
                : batches.recounted(
                    RunCounters.ended(current), current.getOrDefault(ExecutionStatus.SUCCESS, 0L)))
        .build();
  }

  /** Whether every run of every batch started so far has ended. */
  public boolean allRunsEnded() {
    return counters.allRunsEnded();
  }

  /**
   * A job that is not on a cron schedule ends once every run ended: SUCCESS if all runs of its last
   * batch succeeded, else FAILURE. (Its only batch, unless failed runs were re-run.) A job whose
   * cancel was recorded ends ABORTED, cron or not.
   */
  public JobRecord completedIfAllRunsEnded(Instant at) {
    if (status != JobStatus.STARTED || !allRunsEnded()) {
      return this;
    }
    if (cancelRequestedAt != null) {
      return withStatus(JobStatus.ABORTED, CANCELLED, at);
    }
    if (recurring() || runCount() == 0) {
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
}

package io.gridrun.job.domain;

import io.gridrun.common.status.ExecutionStatus;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.EnumMap;
import java.util.Map;

/**
 * A job's run counters, kept up to date on every run transition (never counted on read).
 *
 * @param runCount runs of all batches started so far
 * @param materialized run documents written so far (expansion progress)
 * @param dispatched runs requested so far; runs are requested in sequence order, so this is also
 *     the sequence number of the next run to request
 * @param finished runs that reached a terminal status
 * @param runCounts runs per status
 * @param releasedBelow runs with a lower sequence number had their working copies removed ({@code
 *     maxRetainedRuns}); their status and logs stay
 */
@RecordBuilder
public record RunCounters(
    long runCount,
    long materialized,
    long dispatched,
    long finished,
    Map<ExecutionStatus, Long> runCounts,
    long releasedBelow)
    implements RunCountersBuilder.With {

  public static final RunCounters NONE = new RunCounters(0, 0, 0, 0, null, 0);

  public RunCounters {
    EnumMap<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus s : ExecutionStatus.values()) {
      counts.put(s, runCounts == null ? 0L : runCounts.getOrDefault(s, 0L));
    }
    runCounts = counts;
  }

  /** Runs requested but not yet ended. */
  public long inFlight() {
    return dispatched - finished;
  }

  /** Whether every run of every batch started so far has ended. */
  public boolean allRunsEnded() {
    return finished >= runCount && materialized >= runCount;
  }

  /** {@code pending} more run documents written, up to {@code materialized}. */
  public RunCounters materialized(long materialized, long pending) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(runCounts);
    counts.merge(ExecutionStatus.PENDING, pending, Long::sum);
    return with(b -> b.materialized(materialized).runCounts(counts));
  }

  /** A run moving from one status to another. */
  public RunCounters counting(ExecutionStatus from, ExecutionStatus to) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(runCounts);
    counts.merge(from, -1L, Long::sum);
    counts.merge(to, 1L, Long::sum);
    boolean ended = to.isTerminal() && !from.isTerminal();
    return with(b -> b.runCounts(counts).finished(finished + (ended ? 1 : 0)));
  }

  /** The counters with the runs per status as counted from the runs themselves. */
  public RunCounters recounted(Map<ExecutionStatus, Long> counts) {
    return with(b -> b.runCounts(counts).finished(ended(counts)));
  }

  /** How many of these runs per status ended. */
  static long ended(Map<ExecutionStatus, Long> counts) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().isTerminal())
        .mapToLong(Map.Entry::getValue)
        .sum();
  }
}

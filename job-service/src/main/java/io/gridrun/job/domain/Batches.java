package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A job's batches of runs and its schedule's state. Every batch's runs take the sequence numbers
 * after the previous batch's, so runs of all batches are dispatched in one order.
 *
 * @param count batches started so far; the next batch gets this number
 * @param currentStart sequence number of the current (last started) batch's first run
 * @param currentSize runs in the current batch
 * @param currentEnded runs of the current batch that ended
 * @param currentSucceeded runs of the current batch that succeeded
 * @param rerunOf for a batch of re-runs: the sequence number of the first run of the batch whose
 *     failed and aborted runs it re-runs, else null
 * @param rerunOfSize size of that batch
 * @param nextRunAt when the schedule fires next; null when it will not (no schedule, paused, ended)
 * @param skippedFirings firings that started no batch (overlap {@code forbid}, missed {@code none})
 * @param recentFirings the last firings, newest last
 */
@RecordBuilder
@JsonIgnoreProperties(ignoreUnknown = true)
public record Batches(
    int count,
    long currentStart,
    long currentSize,
    long currentEnded,
    long currentSucceeded,
    Long rerunOf,
    Long rerunOfSize,
    Instant nextRunAt,
    long skippedFirings,
    List<Firing> recentFirings)
    implements BatchesBuilder.With {

  public static final Batches NONE = new Batches(0, 0, 0, 0, 0, null, null, null, 0, List.of());

  /** Firings kept on the job; older ones are only counted. */
  static final int RECENT_FIRINGS = 20;

  public Batches {
    recentFirings = recentFirings == null ? List.of() : List.copyOf(recentFirings);
  }

  /** One firing of the schedule (or trigger) and what came of it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Firing(
      Instant scheduledFor, Instant at, Outcome outcome, Integer batch, String why) {}

  public enum Outcome {
    /** A batch started. */
    STARTED,
    /** No batch: the previous batch still ran and overlap is {@code forbid}. */
    SKIPPED,
    /** No batch: the firing was missed while job-service was down and missed is {@code none}. */
    MISSED,
    /** A batch started after the running one was cancelled (overlap {@code replace}). */
    REPLACED
  }

  /** The batches once a new batch of {@code size} runs starting at {@code start} began. */
  Batches started(long start, long size, Long rerunOf, Long rerunOfSize) {
    return with(
        b ->
            b.count(count + 1)
                .currentStart(start)
                .currentSize(size)
                .currentEnded(0)
                .currentSucceeded(0)
                .rerunOf(rerunOf)
                .rerunOfSize(rerunOfSize));
  }

  /** Whether the current batch still has runs that did not end. */
  public boolean currentRunning() {
    return count > 0 && currentEnded < currentSize;
  }

  Batches ended(io.gridrun.common.status.ExecutionStatus outcome) {
    boolean succeeded = outcome == io.gridrun.common.status.ExecutionStatus.SUCCESS;
    return with(
        b ->
            b.currentEnded(currentEnded + 1)
                .currentSucceeded(currentSucceeded + (succeeded ? 1 : 0)));
  }

  /** The current batch's ended and succeeded runs as counted from the runs themselves. */
  Batches recounted(long ended, long succeeded) {
    return with(b -> b.currentEnded(ended).currentSucceeded(succeeded));
  }

  Batches recording(Firing firing) {
    List<Firing> recent = new ArrayList<>(recentFirings);
    recent.add(firing);
    if (recent.size() > RECENT_FIRINGS) {
      recent = recent.subList(recent.size() - RECENT_FIRINGS, recent.size());
    }
    boolean skipped = firing.outcome() == Outcome.SKIPPED || firing.outcome() == Outcome.MISSED;
    List<Firing> kept = recent;
    return with(b -> b.skippedFirings(skippedFirings + (skipped ? 1 : 0)).recentFirings(kept));
  }
}

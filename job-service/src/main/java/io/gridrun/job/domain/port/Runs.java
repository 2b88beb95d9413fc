package io.gridrun.job.domain.port;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs, one each, addressed by their deterministic id {@code <jobId>-r<seq>}. */
public interface Runs {

  /**
   * Inserts runs; ones that exist already (a redelivered expansion) are left as they are.
   *
   * @return whether every run was new, so that the store now holds them exactly as given
   */
  boolean insertAll(List<RunRecord> runs);

  Optional<RunRecord> find(String id);

  /** The runs with these ids that exist, in sequence order. */
  List<RunRecord> findAll(List<String> ids);

  void replace(RunRecord run);

  /**
   * {@link #replace(RunRecord)}, when the caller knows whether the run's status or metrics changed
   * (what run lists filter and sort on), which spares the store finding it out.
   */
  default void replace(RunRecord run, boolean summaryChanged) {
    replace(run);
  }

  /**
   * Saves {@code after}, a change of {@code before}, which is the run as it is stored: a store may
   * write only what differs (a run event changes a few fields of one step, not the run's identity,
   * parameters or other steps). The result is the same as {@link #replace(RunRecord, boolean)}.
   */
  default void update(RunRecord before, RunRecord after, boolean summaryChanged) {
    replace(after, summaryChanged);
  }

  /**
   * Saves runs whose status changed, all at once (a cancel or a fail-fast aborts thousands): the
   * same result as {@link #replace(RunRecord, boolean)} of each, in fewer round trips.
   */
  default void replaceAll(List<RunRecord> runs) {
    runs.forEach(run -> replace(run, true));
  }

  /**
   * How many of the job's runs {@code fromSeq .. runs - 1} are in each status: the job's counters
   * as its runs' documents say (only to repair them, never on read).
   */
  Map<ExecutionStatus, Long> countByStatus(String jobId, long runs, long fromSeq);

  /**
   * {@link #countByStatus} as the run lists see the runs (a store may read a summary of them, such
   * as their buckets, which a crash can leave ahead of a run's document). The same counts once
   * every run of the job that had not ended was written just now, as after a cancel.
   */
  default Map<ExecutionStatus, Long> countByStatusAfterAbortingAll(
      String jobId, long runs, long fromSeq) {
    return countByStatus(jobId, runs, fromSeq);
  }

  /** Removes every run of the job. */
  void deleteJob(String jobId);
}

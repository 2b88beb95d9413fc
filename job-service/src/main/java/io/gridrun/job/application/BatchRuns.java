package io.gridrun.job.application;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Runs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs port as the event handler sees it: a run it wrote or read is kept ({@link OwnedRecords})
 * while this instance owns the run's partition, so the run's next event (a step's start, its end,
 * the next step) and the dispatch of runs just written do not read it again. Every write still goes
 * to the store at once (write-through), so queries of the store (pages, counts) always see the runs
 * as kept. A write that fails drops the run from what is kept; {@link #forgetAll} drops everything
 * when partitions move.
 */
public class BatchRuns implements Runs {

  /** Runs kept: a few times what a fleet has in flight, a few MiB. */
  static final int CAPACITY = 4096;

  private final Runs store;
  private final OwnedRecords<RunRecord> kept;

  public BatchRuns(Runs store) {
    this.store = store;
    this.kept = new OwnedRecords<>(CAPACITY);
  }

  /** Kept only if every run was new: a run that existed may have moved on since. */
  @Override
  public boolean insertAll(List<RunRecord> runs) {
    runs.forEach(run -> kept.remove(run.id()));
    boolean allNew = store.insertAll(runs);
    if (allNew) {
      runs.forEach(run -> kept.put(run.id(), run));
    }
    return allNew;
  }

  @Override
  public Optional<RunRecord> find(String id) {
    return kept.findOrLoad(id, store::find);
  }

  /** From what is kept when every run is; otherwise one read of them all. */
  @Override
  public List<RunRecord> findAll(List<String> ids) {
    List<RunRecord> known = new ArrayList<>(ids.size());
    for (String id : ids) {
      Optional<RunRecord> run = kept.find(id);
      if (run.isEmpty()) {
        List<RunRecord> found = store.findAll(ids);
        found.forEach(r -> kept.put(r.id(), r));
        return found;
      }
      known.add(run.get());
    }
    known.sort(Comparator.comparingLong(RunRecord::seq));
    return known;
  }

  @Override
  public void replace(RunRecord run) {
    kept.writeThrough(run.id(), run, () -> store.replace(run));
  }

  @Override
  public void replace(RunRecord run, boolean summaryChanged) {
    kept.writeThrough(run.id(), run, () -> store.replace(run, summaryChanged));
  }

  @Override
  public void update(RunRecord before, RunRecord after, boolean summaryChanged) {
    kept.writeThrough(after.id(), after, () -> store.update(before, after, summaryChanged));
  }

  /**
   * Not kept: the runs of a cancel or a fail-fast are ended and seldom read again, and thousands of
   * them would push out the runs in flight.
   */
  @Override
  public void replaceAll(List<RunRecord> runs) {
    runs.forEach(run -> kept.remove(run.id()));
    store.replaceAll(runs);
  }

  @Override
  public Map<ExecutionStatus, Long> countByStatus(String jobId, long runs, long fromSeq) {
    return store.countByStatus(jobId, runs, fromSeq);
  }

  @Override
  public Map<ExecutionStatus, Long> countByStatusAfterAbortingAll(
      String jobId, long runs, long fromSeq) {
    return store.countByStatusAfterAbortingAll(jobId, runs, fromSeq);
  }

  @Override
  public void deleteJob(String jobId) {
    kept.removeIf(run -> run.jobId().equals(jobId));
    store.deleteJob(jobId);
  }

  /** Drops every kept run: the partitions moved, so their runs are read afresh. */
  public void forgetAll() {
    kept.clear();
  }
}

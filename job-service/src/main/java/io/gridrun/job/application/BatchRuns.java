package io.gridrun.job.application;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Runs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runs port as the event handler sees it while it applies a batch of events: a run read or
 * written during the batch is kept, so that its next event in the same batch (a runner reports a
 * step's end and the next step's start together) does not read it again. Every write still goes to
 * the store at once (write-through), so queries of the store (pages, counts) always see the runs as
 * kept; {@link #forget} at the batch's end drops what is kept, and the next batch reads afresh.
 * Kept per thread, like {@link BatchJobs}: all events of a job are handled by one thread.
 */
public class BatchRuns implements Runs {

  private final Runs store;
  private final ThreadLocal<Map<String, RunRecord>> kept = ThreadLocal.withInitial(HashMap::new);

  public BatchRuns(Runs store) {
    this.store = store;
  }

  @Override
  public void insertAll(List<RunRecord> runs) {
    runs.forEach(run -> kept.get().remove(run.id()));
    store.insertAll(runs);
  }

  @Override
  public Optional<RunRecord> find(String id) {
    RunRecord run = kept.get().get(id);
    if (run != null) {
      return Optional.of(run);
    }
    Optional<RunRecord> found = store.find(id);
    found.ifPresent(r -> kept.get().put(id, r));
    return found;
  }

  @Override
  public List<RunRecord> findAll(List<String> ids) {
    return store.findAll(ids);
  }

  @Override
  public void replace(RunRecord run) {
    kept.get().remove(run.id());
    store.replace(run);
    kept.get().put(run.id(), run);
  }

  @Override
  public void replace(RunRecord run, boolean summaryChanged) {
    kept.get().remove(run.id());
    store.replace(run, summaryChanged);
    kept.get().put(run.id(), run);
  }

  @Override
  public void update(RunRecord before, RunRecord after, boolean summaryChanged) {
    kept.get().remove(after.id());
    store.update(before, after, summaryChanged);
    kept.get().put(after.id(), after);
  }

  @Override
  public Map<ExecutionStatus, Long> countByStatus(String jobId, long fromSeq) {
    return store.countByStatus(jobId, fromSeq);
  }

  @Override
  public void deleteJob(String jobId) {
    kept.get().values().removeIf(run -> run.jobId().equals(jobId));
    store.deleteJob(jobId);
  }

  /** Drops what this thread kept: called when its batch ends, also after a failure. */
  public void forget() {
    kept.get().clear();
  }
}

package io.gridrun.job.application;

import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.port.Leases;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The leases port as the event handler sees it: a lease it wrote or read is kept ({@link
 * OwnedRecords}) while this instance owns the run's partition, so a run's start (its lease
 * extended) does not read back the start deadline its dispatch wrote. Writes go to the store at
 * once; the lease checker's queries read the store. {@link #forgetAll} drops everything when
 * partitions move.
 */
public class BatchLeases implements Leases {

  /** Leases kept: one per run in flight, small documents. */
  static final int CAPACITY = 4096;

  private final Leases store;
  private final OwnedRecords<RunLease> kept = new OwnedRecords<>(CAPACITY);

  public BatchLeases(Leases store) {
    this.store = store;
  }

  @Override
  public Optional<RunLease> find(String runId) {
    return kept.findOrLoad(runId, store::find);
  }

  @Override
  public void put(RunLease lease) {
    kept.writeThrough(lease.runId(), lease, () -> store.put(lease));
  }

  @Override
  public void putAll(List<RunLease> leases) {
    leases.forEach(lease -> kept.remove(lease.runId()));
    store.putAll(leases);
    leases.forEach(lease -> kept.put(lease.runId(), lease));
  }

  @Override
  public void remove(String runId) {
    kept.remove(runId);
    store.remove(runId);
  }

  @Override
  public boolean anyRunnerBusy(Instant now) {
    return store.anyRunnerBusy(now);
  }

  @Override
  public List<RunLease> expired(Instant now, int limit) {
    return store.expired(now, limit);
  }

  /** Drops every kept lease: the partitions moved, so their leases are read afresh. */
  public void forgetAll() {
    kept.clear();
  }
}

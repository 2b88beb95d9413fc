package io.gridrun.job.application;

import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.port.Jobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The jobs port as the event handler sees it while it applies a batch of events: a job is read from
 * the store once and kept, and the rewrites that follow each run event ({@link #replaceLater}) are
 * written once, when the batch ends ({@link #flush}), instead of once per event. Every other write
 * ({@link #replace}: dispatch and expansion cursors, commands, schedules) goes to the store at
 * once, as before. Jobs as the store has them (read, or written) are also kept across batches
 * ({@link OwnedRecords}) while this instance owns their partitions: the job's next batch does not
 * read it again. {@link #forgetAll} drops them when partitions move.
 *
 * <p>Safe because all events of a job are handled by one thread, in order, and offsets are
 * committed only after {@link #flush}: a crash before it loses only job writes whose events are
 * delivered again, and their runs (written at once, before) make the redelivered events count the
 * job's runs again ({@link RunProgress#reconcile}). A batch's pending rewrites are kept per thread:
 * each listener thread batches its own jobs. A kept job that ends the batch as it was read is not
 * written at all: a step's start or end changes its run, not its job, and rewriting the whole job
 * document for it was one of the round trips of every step event.
 */
public class BatchJobs implements Jobs {

  /** Jobs kept across batches; a job document holds its grid and pipeline, so fewer than runs. */
  static final int CAPACITY = 256;

  private final Jobs store;
  private final OwnedRecords<JobRecord> stored;
  private final ThreadLocal<Map<String, Entry>> batch = ThreadLocal.withInitial(LinkedHashMap::new);

  /**
   * @param job the job as the batch has it now
   * @param stored the job as the store has it (read or written in this batch); null when unknown
   */
  private record Entry(JobRecord job, JobRecord stored) {

    boolean dirty() {
      return stored == null || !job.equals(stored);
    }
  }

  public BatchJobs(Jobs store) {
    this.store = store;
    this.stored = new OwnedRecords<>(CAPACITY);
  }

  @Override
  public Optional<JobRecord> find(String id) {
    Entry kept = batch.get().get(id);
    if (kept != null) {
      return Optional.of(kept.job());
    }
    Optional<JobRecord> found = stored.findOrLoad(id, store::find);
    found.ifPresent(job -> batch.get().put(id, new Entry(job, job)));
    return found;
  }

  @Override
  public void replace(JobRecord job) {
    write(job);
    batch.get().put(job.id(), new Entry(job, job));
  }

  /** Writes through: kept once the store has it, and not kept if the write fails. */
  private void write(JobRecord job) {
    stored.writeThrough(job.id(), job, () -> store.replace(job));
  }

  /** Kept for this batch and written by {@link #flush} if it differs from the stored job. */
  @Override
  public void replaceLater(JobRecord job) {
    Entry kept = batch.get().get(job.id());
    batch.get().put(job.id(), new Entry(job, kept == null ? null : kept.stored()));
  }

  /**
   * Writes the jobs changed since they were read or written and forgets every kept job, so that the
   * next batch reads them again. Kept jobs are forgotten even if a write fails; the batch is then
   * handled again.
   */
  public void flush() {
    List<Entry> entries = new ArrayList<>(batch.get().values());
    batch.get().clear();
    for (Entry entry : entries) {
      if (entry.dirty()) {
        write(entry.job());
      }
    }
  }

  @Override
  public boolean insertIfAbsent(JobRecord job) {
    batch.get().remove(job.id());
    stored.remove(job.id());
    boolean inserted = store.insertIfAbsent(job);
    if (inserted) {
      stored.put(job.id(), job);
    }
    return inserted;
  }

  @Override
  public void delete(String id) {
    batch.get().remove(id);
    stored.remove(id);
    store.delete(id);
  }

  /** Drops every job kept across batches: the partitions moved, so their jobs are read afresh. */
  public void forgetAll() {
    stored.clear();
  }

  @Override
  public List<JobRecord> due(Instant now) {
    return store.due(now);
  }

  @Override
  public void forEach(Consumer<JobRecord> action) {
    store.forEach(action);
  }
}

package io.gridrun.job.application;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.job.domain.port.Leases;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.ParkedEvents;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.domain.port.Runs;
import io.gridrun.job.domain.port.StatusEvents;
import io.gridrun.job.domain.port.WaitingJobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The ports in memory, for unit tests of the use cases: no Spring, no broker, no database. */
final class InMemoryPorts {

  private InMemoryPorts() {}

  static final class InMemoryJobs implements Jobs {
    final Map<String, JobRecord> jobs = new ConcurrentHashMap<>();

    @Override
    public boolean insertIfAbsent(JobRecord job) {
      return jobs.putIfAbsent(job.id(), job) == null;
    }

    @Override
    public Optional<JobRecord> find(String id) {
      return Optional.ofNullable(jobs.get(id));
    }

    /** How many of the next job writes fail, as if the process died before them. */
    int crashes;

    /** The first write of a job like this fails, as if the process died before it. */
    java.util.function.Predicate<JobRecord> crashBefore;

    /** Job writes that reached this store. */
    int writes;

    @Override
    public void replace(JobRecord job) {
      writes++;
      if (crashes > 0 || (crashBefore != null && crashBefore.test(job))) {
        crashes = Math.max(0, crashes - 1);
        crashBefore = null;
        throw new IllegalStateException("crashed before the job's write");
      }
      jobs.replace(job.id(), job);
    }

    @Override
    public void delete(String id) {
      jobs.remove(id);
    }

    @Override
    public List<JobRecord> due(Instant now) {
      return jobs.values().stream()
          .filter(j -> j.batches().nextRunAt() != null && !j.batches().nextRunAt().isAfter(now))
          .toList();
    }

    @Override
    public void forEach(java.util.function.Consumer<JobRecord> action) {
      jobs.values().forEach(action);
    }
  }

  static class InMemoryRuns implements Runs {
    final Map<String, RunRecord> runs = new ConcurrentHashMap<>();

    @Override
    public Map<ExecutionStatus, Long> countByStatus(String jobId, long jobRuns, long fromSeq) {
      Map<ExecutionStatus, Long> counts = new java.util.EnumMap<>(ExecutionStatus.class);
      for (ExecutionStatus status : ExecutionStatus.values()) {
        counts.put(
            status,
            runs.values().stream()
                .filter(r -> r.jobId().equals(jobId) && r.seq() >= fromSeq && r.seq() < jobRuns)
                .filter(r -> r.status() == status)
                .count());
      }
      return counts;
    }

    /** Called before each chunk of runs is written. */
    Runnable beforeInsert = () -> {};

    @Override
    public boolean insertAll(List<RunRecord> batch) {
      beforeInsert.run();
      boolean allNew = true;
      for (RunRecord run : batch) {
        allNew &= runs.putIfAbsent(run.id(), run) == null;
      }
      return allNew;
    }

    /** Runs read one by one ({@link #find}). */
    int finds;

    @Override
    public Optional<RunRecord> find(String id) {
      finds++;
      return Optional.ofNullable(runs.get(id));
    }

    @Override
    public List<RunRecord> findAll(List<String> ids) {
      return ids.stream()
          .map(runs::get)
          .filter(Objects::nonNull)
          .sorted(Comparator.comparingLong(RunRecord::seq))
          .toList();
    }

    /** Runs written one by one ({@link #replace}) and together ({@link #replaceAll}). */
    int replaces;

    int bulkWrites;

    @Override
    public void replace(RunRecord run) {
      replaces++;
      runs.replace(run.id(), run);
    }

    @Override
    public void replaceAll(List<RunRecord> batch) {
      bulkWrites++;
      batch.forEach(run -> runs.replace(run.id(), run));
    }

    @Override
    public void deleteJob(String jobId) {
      runs.values().removeIf(run -> run.jobId().equals(jobId));
    }
  }

  static final class InMemoryLeases implements Leases {
    final Map<String, RunLease> leases = new ConcurrentHashMap<>();

    /** Writes as the store would do them: one per put, one per putAll. */
    final java.util.concurrent.atomic.AtomicInteger writes =
        new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Optional<RunLease> find(String runId) {
      return Optional.ofNullable(leases.get(runId));
    }

    @Override
    public void put(RunLease lease) {
      writes.incrementAndGet();
      leases.put(lease.runId(), lease);
    }

    @Override
    public void putAll(List<RunLease> all) {
      writes.incrementAndGet();
      all.forEach(lease -> leases.put(lease.runId(), lease));
    }

    @Override
    public void remove(String runId) {
      leases.remove(runId);
    }

    @Override
    public boolean anyRunnerBusy(Instant now) {
      return leases.values().stream().anyMatch(lease -> lease.started() && !lease.expired(now));
    }

    @Override
    public List<RunLease> expired(Instant now, int limit) {
      return leases.values().stream()
          .filter(lease -> lease.expired(now))
          .sorted(Comparator.comparing(RunLease::expiresAt))
          .limit(limit)
          .toList();
    }
  }

  /** A fleet cap of {@code max} runs, held per run id. */
  static final class InMemoryCapacity implements RunCapacity {
    final Set<String> holders = new LinkedHashSet<>();
    private final int max;

    InMemoryCapacity(int max) {
      this.max = max;
    }

    @Override
    public synchronized boolean acquire(String runId) {
      if (holders.contains(runId)) {
        return true;
      }
      if (holders.size() >= max) {
        return false;
      }
      return holders.add(runId);
    }

    @Override
    public synchronized void release(String runId) {
      holders.remove(runId);
    }

    @Override
    public synchronized long free() {
      return max - holders.size();
    }
  }

  static final class InMemoryWaitingJobs implements WaitingJobs {
    private record Entry(String jobId, Instant since, long order) {}

    private final Map<String, Entry> waiting = new ConcurrentHashMap<>();
    private long order;

    @Override
    public synchronized void waiting(String jobId, Instant since, boolean keepPlace) {
      if (keepPlace && waiting.containsKey(jobId)) {
        return;
      }
      waiting.put(jobId, new Entry(jobId, since, order++));
    }

    @Override
    public void notWaiting(String jobId) {
      waiting.remove(jobId);
    }

    @Override
    public synchronized List<String> oldestFirst(int limit) {
      return waiting.values().stream()
          .sorted(Comparator.comparing(Entry::since).thenComparingLong(Entry::order))
          .limit(limit)
          .map(Entry::jobId)
          .toList();
    }
  }

  static final class InMemoryParkedEvents implements ParkedEvents {
    final Map<String, GridrunEvent> parked = new ConcurrentHashMap<>();

    @Override
    public void park(String jobId, GridrunEvent event) {
      parked.put(jobId, event);
    }

    @Override
    public Optional<GridrunEvent> find(String jobId) {
      return Optional.ofNullable(parked.get(jobId));
    }

    @Override
    public void remove(String jobId) {
      parked.remove(jobId);
    }
  }

  /** Keeps what was sent, in order; every send succeeds at once. */
  static final class RecordingOutbox implements Outbox {
    final List<GridrunEvent> sent = new CopyOnWriteArrayList<>();

    /** How many of the next sends fail, as if the broker were away. */
    int failures;

    @Override
    public CompletableFuture<Void> send(GridrunEvent event) {
      if (failures > 0) {
        failures--;
        return CompletableFuture.failedFuture(new IllegalStateException("broker away"));
      }
      sent.add(event);
      return CompletableFuture.completedFuture(null);
    }

    <T extends GridrunEvent> List<T> sent(Class<T> type) {
      return sent.stream().filter(type::isInstance).map(type::cast).toList();
    }
  }

  /** Keeps the status changes as {@code kind id previous->next}. */
  static final class RecordingStatus implements StatusEvents {
    final List<String> changes = new CopyOnWriteArrayList<>();
    int flushes;

    @Override
    public void job(String jobId, String previous, String status, String reason, Instant at) {
      changes.add("job " + jobId + " " + previous + "->" + status);
    }

    @Override
    public void run(
        String jobId,
        String runId,
        int batch,
        String previous,
        String status,
        String reason,
        Instant at) {
      changes.add("run " + runId + " " + previous + "->" + status);
    }

    @Override
    public void step(
        String jobId,
        String runId,
        String stepId,
        int batch,
        String previous,
        String status,
        String reason,
        Instant at) {
      changes.add("step " + runId + "/" + stepId + " " + previous + "->" + status);
    }

    @Override
    public void flush() {
      flushes++;
    }

    List<String> ofJob(String jobId) {
      return new ArrayList<>(changes.stream().filter(c -> c.startsWith("job " + jobId)).toList());
    }
  }
}

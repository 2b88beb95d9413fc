package io.gridrun.job.domain.port;

import io.gridrun.job.domain.RunLease;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Leases of in-flight runs, one per run keyed by run id, removed when the run ends or is requested
 * again. Written only by the job's handler thread; read by the lease checker.
 */
public interface Leases {

  Optional<RunLease> find(String runId);

  /** Puts the run's lease, replacing the one it had. */
  void put(RunLease lease);

  /**
   * Puts every lease, each replacing the one its run had, in as few writes as the store allows (a
   * dispatch chunk's start deadlines: one bulk write instead of one awaited write per request).
   */
  default void putAll(List<RunLease> leases) {
    leases.forEach(this::put);
  }

  void remove(String runId);

  /**
   * Whether some runner is executing a run now (a started lease not expired at {@code now}): the
   * fleet is working through its queue, so a request that waits is queued, not lost.
   */
  boolean anyRunnerBusy(Instant now);

  /** Leases that expired at {@code now}, oldest first, at most {@code limit}. */
  List<RunLease> expired(Instant now, int limit);
}

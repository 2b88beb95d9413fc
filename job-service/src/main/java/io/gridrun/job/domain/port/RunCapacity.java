package io.gridrun.job.domain.port;

/**
 * The fleet-wide cap on runs in flight ({@code gridrun.max-concurrent-runs}): a run holds one unit
 * from its request until it ends. Shared by every listener thread of every job-service instance, so
 * implementations must be atomic across them; every operation is idempotent per run id, so a
 * redelivered event neither takes a second unit nor gives one back twice.
 */
public interface RunCapacity {

  /** No cap: every run may be requested. */
  RunCapacity UNLIMITED =
      new RunCapacity() {
        @Override
        public boolean acquire(String runId) {
          return true;
        }

        @Override
        public void release(String runId) {}

        @Override
        public long free() {
          return Long.MAX_VALUE;
        }

        @Override
        public boolean limited() {
          return false;
        }
      };

  /** Takes a unit for the run; true if it holds one now (also if it held one already). */
  boolean acquire(String runId);

  /** Gives the run's unit back, if it holds one. */
  void release(String runId);

  /** Units free now (a snapshot; may be stale by the time it is used). */
  long free();

  default boolean limited() {
    return true;
  }
}

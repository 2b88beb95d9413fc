package io.gridrun.job.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Jobs whose next runs wait for the fleet's run cap, with since when: they are woken, oldest first,
 * when slots free up. At most one entry per job.
 */
public interface WaitingJobs {

  /**
   * Records that the job waits. With {@code keepPlace} a job that waited already keeps its place;
   * without, it goes to the back of the queue (it just had its turn).
   */
  void waiting(String jobId, Instant since, boolean keepPlace);

  /** The job that has waited longest, if any. */
  default Optional<String> first() {
    return oldestFirst(1).stream().findFirst();
  }

  void notWaiting(String jobId);

  /** The waiting jobs, longest waiting first. */
  List<String> oldestFirst(int limit);
}

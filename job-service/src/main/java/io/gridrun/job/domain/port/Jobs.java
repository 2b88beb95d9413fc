package io.gridrun.job.domain.port;

import io.gridrun.job.domain.JobRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Jobs by id. Written only by the thread that handles the job's events (all of a job's events are
 * on one partition), so a job is read, changed and replaced whole.
 */
public interface Jobs {

  /** Inserts a new job; false if a job with that id exists already. */
  boolean insertIfAbsent(JobRecord job);

  Optional<JobRecord> find(String id);

  void replace(JobRecord job);

  /**
   * Replaces the job, possibly later: a store that batches writes keeps it until the batch of
   * events being handled ends (see {@code BatchJobs}); here, at once.
   */
  default void replaceLater(JobRecord job) {
    replace(job);
  }

  void delete(String id);

  /** Jobs whose next firing is due at {@code now}. */
  List<JobRecord> due(Instant now);

  /** Hands every job to {@code action}; for periodic summaries over jobs, which stay few. */
  void forEach(Consumer<JobRecord> action);
}

package io.gridrun.job.domain.port;

import io.gridrun.common.event.GridrunEvent;
import java.util.Optional;

/**
 * Snapshot events that arrived before their job's {@code job.created}, one per job id: the two come
 * from different topics, which are ordered each on its own, not between each other.
 */
public interface ParkedEvents {

  void park(String jobId, GridrunEvent event);

  /** The parked event of the job, if any; it stays parked until {@link #remove}d. */
  Optional<GridrunEvent> find(String jobId);

  void remove(String jobId);
}

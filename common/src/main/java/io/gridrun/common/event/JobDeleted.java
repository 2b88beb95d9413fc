package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A job was deleted: job-service removed it and its runs. snapshot-service then drops the job's use
 * of its snapshot, and deletes the snapshot once no job uses it. Topic {@link Topics#JOBS}, key =
 * job id.
 *
 * @param snapshotId the snapshot the job ran on; null if it never got one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobDeleted(String eventId, String jobId, Instant at, String snapshotId)
    implements GridrunEvent {

  public static final String TYPE = "job.deleted";

  @Override
  public String topic() {
    return Topics.JOBS;
  }
}

package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** No snapshot could be taken for the job; {@code reason} says why. The job ends FAILURE. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotFailed(String eventId, String jobId, Instant at, String reason)
    implements GridrunEvent {

  public static final String TYPE = "snapshot.failed";

  @Override
  public String topic() {
    return Topics.SNAPSHOTS;
  }
}

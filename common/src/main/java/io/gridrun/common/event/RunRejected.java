package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A runner cannot execute this request at all (an invalid pipeline, an unknown snapshot manifest,
 * an unsafe run id): the request went to {@code gridrun.runs-dlt} with the same reason, and
 * job-service ends the run {@code FAILURE} with it, without retrying. Topic {@link
 * Topics#EXECUTION}, key = job id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRejected(
    String eventId, String jobId, String runId, Instant at, int attempt, String reason)
    implements GridrunEvent {

  public static final String TYPE = "run.rejected";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

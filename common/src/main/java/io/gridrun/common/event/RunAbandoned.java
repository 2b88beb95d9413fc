package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The runner gives this attempt up without finishing it (it is shutting down and the drain timeout
 * passed, or it could not renew the attempt's lease) and publishes nothing more for it. job-service
 * requests the run again at once instead of waiting for the lease to expire. Topic {@link
 * Topics#EXECUTION}, key = job id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunAbandoned(
    String eventId,
    String jobId,
    String runId,
    Instant at,
    int attempt,
    String runner,
    String reason)
    implements GridrunEvent {

  public static final String TYPE = "run.abandoned";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * job-service's lease checker saw this attempt's lease expire (no heartbeat for the lease timeout,
 * or not started within the start timeout). A command to the job's own handler, which applies it
 * only if the lease is still expired: it then marks the attempt lost and requests the run again.
 * Topic {@link Topics#EXECUTION}, key = job id: on the runners' topic, so that it is applied after
 * every runner event of the job published before it. A job-service that lags behind the topic thus
 * never takes heartbeats or run endings it has not read yet for silence.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunLeaseExpired(String eventId, String jobId, String runId, Instant at, int attempt)
    implements GridrunEvent {

  public static final String TYPE = "run.lease-expired";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

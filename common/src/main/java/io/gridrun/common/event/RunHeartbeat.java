package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * The runner still executes this attempt of the run: sent every {@code
 * gridrun.runner.heartbeat-interval} while it does. job-service extends the attempt's lease by its
 * lease timeout on each one, and answers a heartbeat of an attempt it no longer waits for with a
 * {@link RunCancelRequested} for that attempt. Topic {@link Topics#EXECUTION}, key = job id.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunHeartbeat(
    String eventId, String jobId, String runId, Instant at, int attempt, String runner)
    implements GridrunEvent {

  public static final String TYPE = "run.heartbeat";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

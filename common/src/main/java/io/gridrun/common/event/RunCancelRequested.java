package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * Stop a run's steps now (kill its containers or processes); the runner then reports the run's
 * unfinished steps {@code ABORTED}. Topic {@link Topics#CONTROL}, read by every runner.
 *
 * @param runId the run to stop; null = every run of the job
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunCancelRequested(String eventId, String jobId, String runId, Instant at)
    implements GridrunEvent {

  public static final String TYPE = "run.cancel-requested";

  @Override
  public String topic() {
    return Topics.CONTROL;
  }
}

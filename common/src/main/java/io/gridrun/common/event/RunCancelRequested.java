package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * Stop a run's steps now (kill its containers or processes); the runner then reports the run's
 * unfinished steps {@code ABORTED}. Topic {@link Topics#CONTROL}, read by every runner.
 *
 * @param runId the run to stop; null = every run of the job
 * @param attempt only this attempt of the run (one job-service requested again, so that the runner
 *     still executing it stops); null = every attempt
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunCancelRequested(
    String eventId, String jobId, String runId, Instant at, Integer attempt)
    implements GridrunEvent {

  public static final String TYPE = "run.cancel-requested";

  @JsonCreator
  public RunCancelRequested {}

  /** Every attempt of the run (or of every run of the job). */
  public RunCancelRequested(String eventId, String jobId, String runId, Instant at) {
    this(eventId, jobId, runId, at, null);
  }

  @Override
  public String topic() {
    return Topics.CONTROL;
  }
}

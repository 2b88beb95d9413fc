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
 * @param runner only on this runner, which stands down without reporting anything more for the
 *     attempt: another runner was heard of first executing the same attempt (a request delivered
 *     twice); null = on every runner
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunCancelRequested(
    String eventId, String jobId, String runId, Instant at, Integer attempt, String runner)
    implements GridrunEvent {

  public static final String TYPE = "run.cancel-requested";

  @JsonCreator
  public RunCancelRequested {}

  /** Every attempt of the run (or of every run of the job). */
  public RunCancelRequested(String eventId, String jobId, String runId, Instant at) {
    this(eventId, jobId, runId, at, null, null);
  }

  /** One attempt of the run, on every runner. */
  public RunCancelRequested(
      String eventId, String jobId, String runId, Instant at, Integer attempt) {
    this(eventId, jobId, runId, at, attempt, null);
  }

  @Override
  public String topic() {
    return Topics.CONTROL;
  }
}

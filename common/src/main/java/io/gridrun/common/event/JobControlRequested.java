package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A change to a job's life that job-service applies in order with the job's other events: published
 * by job-service itself after it accepted an HTTP command, by its scheduler when a firing is due,
 * and by its dispatcher sweep when runs wait for the fleet's run cap. Topic {@link Topics#JOBS},
 * key = job id.
 *
 * @param runId the run concerned, for {@link Action#CANCEL_RUN}; null otherwise
 * @param scheduledFor the firing time, for {@link Action#FIRE}; null otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobControlRequested(
    String eventId, String jobId, Instant at, Action action, String runId, Instant scheduledFor)
    implements GridrunEvent {

  public static final String TYPE = "job.control-requested";

  public enum Action {
    CANCEL,
    CANCEL_RUN,
    PAUSE,
    RESUME,
    TRIGGER,
    FIRE,
    RERUN_FAILED,
    DELETE,
    /**
     * Dispatch the job's waiting runs now: the fleet's run cap freed up (published by the
     * dispatcher sweep for jobs whose runs wait for capacity).
     */
    DISPATCH
  }

  @Override
  public String topic() {
    return Topics.JOBS;
  }
}

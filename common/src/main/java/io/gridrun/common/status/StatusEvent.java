package io.gridrun.common.status;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A state change of a job, run or step, as published on {@code gridrun.status} (key = job id) for
 * any consumer: plain JSON that needs nothing from gridrun's code to read.
 *
 * @param type {@code job.status}, {@code run.status} or {@code step.status}
 * @param version schema version of this event, {@value #VERSION}
 * @param runId null for job events
 * @param stepId null for job and run events
 * @param batch the run's batch; null for job events
 * @param previousStatus null when the entity is new
 * @param at ISO-8601 UTC
 * @param reason why, for failures and aborts; null otherwise
 * @param eventId unique per event, for de-duplication (also the server-sent event id's base)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusEvent(
    String type,
    int version,
    String jobId,
    String runId,
    String stepId,
    Integer batch,
    String status,
    String previousStatus,
    Instant at,
    String reason,
    String eventId) {

  public static final int VERSION = 1;
  public static final String JOB = "job.status";
  public static final String RUN = "run.status";
  public static final String STEP = "step.status";
}

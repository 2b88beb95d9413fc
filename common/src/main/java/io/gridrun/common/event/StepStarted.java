package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A step's process or container started; its log is readable from now on. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepStarted(
    String eventId, String jobId, String runId, String stepId, Instant at, int attempt)
    implements GridrunEvent {

  public static final String TYPE = "step.started";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

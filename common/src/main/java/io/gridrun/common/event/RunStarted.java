package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A runner took the run and prepared its working copy. {@code runner} names the instance. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStarted(
    String eventId, String jobId, String runId, Instant at, int attempt, String runner)
    implements GridrunEvent {

  public static final String TYPE = "run.started";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

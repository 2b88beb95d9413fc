package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A runner took the run and prepared its working copy. {@code runner} names the instance; {@code
 * executor} says how its steps run: {@code docker} (containers) or {@code process} (local processes
 * without isolation); null in events of older runners.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStarted(
    String eventId,
    String jobId,
    String runId,
    Instant at,
    int attempt,
    String runner,
    String executor)
    implements GridrunEvent {

  /** A start without the executor, as older runners sent it. */
  public RunStarted(
      String eventId, String jobId, String runId, Instant at, int attempt, String runner) {
    this(eventId, jobId, runId, at, attempt, runner, null);
  }

  public static final String TYPE = "run.started";

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

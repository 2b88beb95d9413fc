package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A step reached a terminal status. Published for every step of a run, including steps that never
 * started ({@code ABORTED}, reason {@code "upstream step failed"}), so that job-service can derive
 * the run's status from its steps alone.
 *
 * @param attempt the run's attempt (see {@link RunRequested#attempt()}), not the step's try
 * @param exitCode the process exit code (of the last try); null when the step never ran
 * @param reason why the step failed or was aborted; null on success
 * @param startedAt null when the step never started
 * @param metrics what the step reported in its metrics file; empty when none
 * @param attempts every try of the step in order, one unless it was retried; empty when the step
 *     never started (and in events of runners older than this field)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepFinished(
    String eventId,
    String jobId,
    String runId,
    String stepId,
    Instant at,
    int attempt,
    ExecutionStatus status,
    Integer exitCode,
    String reason,
    Instant startedAt,
    Instant finishedAt,
    Map<String, Object> metrics,
    List<StepAttempt> attempts)
    implements GridrunEvent {

  public static final String TYPE = "step.finished";

  @JsonCreator
  public StepFinished {
    // keeps the step's order of its metrics
    metrics =
        metrics == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  /** A step end without the record of its tries. */
  public StepFinished(
      String eventId,
      String jobId,
      String runId,
      String stepId,
      Instant at,
      int attempt,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Instant finishedAt,
      Map<String, Object> metrics) {
    this(
        eventId,
        jobId,
        runId,
        stepId,
        at,
        attempt,
        status,
        exitCode,
        reason,
        startedAt,
        finishedAt,
        metrics,
        List.of());
  }

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

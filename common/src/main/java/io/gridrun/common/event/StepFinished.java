package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.Map;

/**
 * A step reached a terminal status. Published for every step of a run, including steps that never
 * started ({@code ABORTED}, reason {@code "upstream step failed"}), so that job-service can derive
 * the run's status from its steps alone.
 *
 * @param exitCode the process exit code; null when the step never ran
 * @param reason why the step failed or was aborted; null on success
 * @param startedAt null when the step never started
 * @param metrics what the step reported in its metrics file; empty when none
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
    Map<String, Object> metrics)
    implements GridrunEvent {

  public static final String TYPE = "step.finished";

  public StepFinished {
    // keeps the step's order of its metrics
    metrics =
        metrics == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
  }

  @Override
  public String topic() {
    return Topics.EXECUTION;
  }
}

package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;

/**
 * A step of a run as job-service knows it.
 *
 * @param attempts the step's tries as its runner reported them in {@code step.finished}; empty
 *     until the step ended, and for steps that never ran
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepState(
    String id,
    ExecutionStatus status,
    Integer exitCode,
    String reason,
    Instant startedAt,
    Instant finishedAt,
    List<StepAttempt> attempts) {

  @JsonCreator
  public StepState {
    attempts = attempts == null ? List.of() : List.copyOf(attempts);
  }

  /** A step without a record of tries: not ended yet, or never run. */
  public StepState(
      String id,
      ExecutionStatus status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Instant finishedAt) {
    this(id, status, exitCode, reason, startedAt, finishedAt, List.of());
  }

  public static StepState pending(String id) {
    return new StepState(id, ExecutionStatus.PENDING, null, null, null, null);
  }
}

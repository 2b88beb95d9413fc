package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;

/** A step of a run as job-service knows it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StepState(
    String id,
    ExecutionStatus status,
    Integer exitCode,
    String reason,
    Instant startedAt,
    Instant finishedAt) {

  public static StepState pending(String id) {
    return new StepState(id, ExecutionStatus.PENDING, null, null, null, null);
  }
}

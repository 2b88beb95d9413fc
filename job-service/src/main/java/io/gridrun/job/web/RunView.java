package io.gridrun.job.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.StepState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A run as the API shows it (docs/api.md). */
@JsonPropertyOrder({
  "id",
  "jobId",
  "index",
  "gridIndex",
  "batch",
  "status",
  "attempt",
  "executor",
  "parameters",
  "steps",
  "metrics",
  "reason",
  "startedAt",
  "finishedAt"
})
public record RunView(
    String id,
    String jobId,
    long index,
    Long gridIndex,
    int batch,
    String status,
    int attempt,
    String executor,
    Parameters parameters,
    List<Step> steps,
    Map<String, Map<String, Object>> metrics,
    String reason,
    Instant startedAt,
    Instant finishedAt) {

  /** A run's parameter values: the pipeline's, then each step's. */
  @JsonPropertyOrder({"pipeline", "steps"})
  public record Parameters(Map<String, Object> pipeline, Map<String, Map<String, Object>> steps) {

    public static Parameters of(RunRecord run) {
      return new Parameters(run.parameters().pipeline(), run.parameters().steps());
    }
  }

  /** One step of a run. */
  @JsonPropertyOrder({"id", "status", "exitCode", "reason", "startedAt", "finishedAt", "attempts"})
  public record Step(
      String id,
      String status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Instant finishedAt,
      List<StepAttempt> attempts) {

    static Step of(StepState step) {
      return new Step(
          step.id(),
          step.status().name(),
          step.exitCode(),
          step.reason(),
          step.startedAt(),
          step.finishedAt(),
          step.attempts());
    }
  }

  public static RunView of(RunRecord run) {
    return new RunView(
        run.id(),
        run.jobId(),
        run.index(),
        run.gridIndex(),
        run.batch(),
        run.status().name(),
        run.attempt(),
        run.executor(),
        Parameters.of(run),
        run.steps().stream().map(Step::of).toList(),
        run.metrics(),
        run.reason(),
        run.startedAt(),
        run.finishedAt());
  }
}

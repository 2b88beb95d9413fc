package io.gridrun.job.web;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gridrun.common.event.StepAttempt;
import io.gridrun.job.domain.JobRecord;
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
  @JsonPropertyOrder({
    "id",
    "title",
    "status",
    "exitCode",
    "reason",
    "startedAt",
    "finishedAt",
    "attempts"
  })
  public record Step(
      String id,
      @com.fasterxml.jackson.annotation.JsonInclude(
              com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
          String title,
      String status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Instant finishedAt,
      List<StepAttempt> attempts) {

    static Step of(StepState step, String title) {
      return new Step(
          step.id(),
          title,
          step.status().name(),
          step.exitCode(),
          step.reason(),
          step.startedAt(),
          step.finishedAt(),
          step.attempts());
    }
  }

  /** A run whose steps have no titles (or whose job's pipeline is not at hand). */
  public static RunView of(RunRecord run) {
    return of(run, Map.of());
  }

  /** The titles of the steps of a job's pipeline that have one, by step id. */
  public static Map<String, String> titles(JobRecord job) {
    Map<String, String> titles = new java.util.HashMap<>();
    if (job.definition() != null) {
      job.definition().steps().stream()
          .filter(step -> step.title() != null)
          .forEach(step -> titles.put(step.id(), step.title()));
    }
    return titles;
  }

  /**
   * A run with its steps' titles from the job's pipeline (an Orchest pipeline's step titles).
   *
   * @param titles step id to title
   */
  public static RunView of(RunRecord run, Map<String, String> titles) {
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
        run.steps().stream().map(s -> Step.of(s, titles.get(s.id()))).toList(),
        run.metrics(),
        run.reason(),
        run.startedAt(),
        run.finishedAt());
  }
}

package io.gridrun.gateway.ui.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A run as {@code GET /api/v1/runs/{runId}} shows it (the fields the Run page uses). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiRun(
    String id,
    String jobId,
    Long index,
    Integer batch,
    String status,
    Integer attempt,
    Map<String, Object> parameters,
    List<Step> steps,
    Map<String, Map<String, Object>> metrics,
    String reason,
    String executor,
    Instant startedAt,
    Instant finishedAt) {

  public ApiRun {
    steps = steps == null ? List.of() : List.copyOf(steps);
    metrics = metrics == null ? Map.of() : metrics;
    parameters = parameters == null ? Map.of() : parameters;
  }

  /** One step of the run. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Step(
      String id,
      String status,
      Integer exitCode,
      String reason,
      Instant startedAt,
      Instant finishedAt,
      List<Attempt> attempts) {

    public Step {
      attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** How long the step ran, empty while it has not ended. */
    public String duration() {
      return io.gridrun.gateway.ui.UiFormat.duration(startedAt, finishedAt);
    }
  }

  /** One try of a step. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Attempt(
      Integer attempt, Integer exitCode, String reason, Instant startedAt, Instant finishedAt) {}

  public Optional<Step> step(String stepId) {
    return steps.stream().filter(s -> s.id().equals(stepId)).findFirst();
  }

  public static boolean terminal(String status) {
    return List.of("SUCCESS", "FAILURE", "ABORTED").contains(status);
  }
}

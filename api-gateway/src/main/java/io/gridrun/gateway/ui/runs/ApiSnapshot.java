package io.gridrun.gateway.ui.runs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A snapshot as {@code GET /api/v1/snapshots/{id}} shows it, with its pipeline definition. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiSnapshot(
    String id,
    String jobId,
    String project,
    String pipeline,
    Long fileCount,
    Long totalBytes,
    Long newBytes,
    Long durationMs,
    List<Object> skipped,
    Instant createdAt,
    Map<String, Object> environments,
    Definition definition) {

  public ApiSnapshot {
    skipped = skipped == null ? List.of() : skipped;
    environments = environments == null ? Map.of() : environments;
  }

  /** When it was taken, as the UI writes times. */
  public String taken() {
    return io.gridrun.gateway.ui.UiFormat.time(createdAt);
  }

  /** The pipeline as the job ran it: its steps and their {@code dependsOn}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Definition(String name, List<StepDefinition> steps) {
    public Definition {
      steps = steps == null ? List.of() : List.copyOf(steps);
    }
  }

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StepDefinition(
      String id, String title, String file, String environment, List<String> dependsOn) {
    public StepDefinition {
      dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
  }
}

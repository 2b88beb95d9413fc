package io.gridrun.gateway.ui.jobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/** A run as {@code GET /api/v1/jobs/{id}/runs} lists it (the fields the UI uses). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiRun(
    String id,
    Long index,
    Integer batch,
    String status,
    Integer attempt,
    Parameters parameters,
    String reason,
    Instant startedAt,
    Instant finishedAt) {

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Parameters(Map<String, Object> pipeline, Map<String, Map<String, Object>> steps) {}
}

package io.gridrun.gateway.ui.jobs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.gateway.ui.StatusBar;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A job as {@code GET /api/v1/jobs/{id}} shows it (the fields the UI uses). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiJob(
    String id,
    String name,
    String project,
    String pipeline,
    String status,
    Long runCount,
    Map<String, Long> runCounts,
    String snapshotId,
    String reason,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    Map<String, String> env,
    Map<String, Object> grid,
    Integer maxParallelRuns,
    Map<String, Object> options,
    Map<String, Best> best,
    Long gridRuns,
    Integer batches,
    Schedule schedule,
    String timezone,
    Instant nextRunAt,
    Map<String, String> secrets) {

  /** The run with the lowest and the highest value of one metric. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Best(Extreme min, Extreme max) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Extreme(Long index, String runId, Object value) {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Schedule(String at, String cron, String timezone, String overlap, String missed) {

    /** {@code cron 0 3 * * MON-FRI (Europe/Amsterdam)} or {@code once at …}. */
    public String text() {
      if (cron != null) {
        return "cron "
            + cron
            + " ("
            + (timezone == null ? "UTC" : timezone)
            + ", overlap "
            + overlap
            + ", missed "
            + missed
            + ")";
      }
      return "once at " + at;
    }
  }

  public StatusBar bar() {
    return StatusBar.of(runCounts, runCount);
  }

  public boolean recurring() {
    return schedule != null && schedule.cron() != null;
  }

  public boolean terminal() {
    return List.of("SUCCESS", "FAILURE", "ABORTED").contains(status);
  }

  public long count(String status) {
    return runCounts == null ? 0 : runCounts.getOrDefault(status, 0L);
  }
}

package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.StatusBar;
import io.gridrun.gateway.ui.UiFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Job page's header: the job's fields, its progress and which buttons are enabled. */
public record JobView(
    String id,
    String name,
    String project,
    String pipeline,
    String status,
    String snapshotId,
    String schedule,
    String nextFiring,
    String created,
    String started,
    String finished,
    String reason,
    long runCount,
    StatusBar bar,
    List<Count> counts,
    JobActions actions,
    List<String> parameterNames,
    List<String> secretNames,
    boolean ended) {

  /** {@code count} runs of {@code status}. */
  public record Count(String status, long count) {}

  static JobView of(ApiJob job) {
    List<Count> counts =
        StatusBar.RUN_STATUSES.stream().map(s -> new Count(s, job.count(s))).toList();
    return new JobView(
        job.id(),
        job.name(),
        job.project(),
        job.pipeline(),
        job.status(),
        job.snapshotId(),
        job.schedule() == null ? "now" : job.schedule().text(),
        UiFormat.time(job.nextRunAt()),
        UiFormat.time(job.createdAt()),
        UiFormat.time(job.startedAt()),
        UiFormat.time(job.finishedAt()),
        job.reason(),
        job.runCount() == null ? 0 : job.runCount(),
        job.bar(),
        counts,
        JobActions.of(job),
        gridNames(job.grid()),
        job.secrets() == null ? List.of() : List.copyOf(job.secrets().keySet()),
        job.terminal());
  }

  /** The parameter names of the job's grid, as the runs filter and results columns name them. */
  private static List<String> gridNames(Map<String, Object> grid) {
    if (grid == null) {
      return List.of();
    }
    return new ArrayList<>(
        ParameterNames.flatten(grid.get("pipeline"), grid.get("steps")).keySet());
  }
}

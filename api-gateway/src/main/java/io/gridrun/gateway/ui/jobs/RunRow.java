package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiFormat;

/** One row of the Job page's runs table. */
public record RunRow(
    String id,
    long index,
    int batch,
    String status,
    String parameters,
    String started,
    String duration,
    String reason) {

  static RunRow of(ApiRun run) {
    ApiRun.Parameters p = run.parameters();
    return new RunRow(
        run.id(),
        run.index() == null ? 0 : run.index(),
        run.batch() == null ? 0 : run.batch(),
        run.status(),
        p == null ? "" : ParameterNames.text(ParameterNames.flatten(p.pipeline(), p.steps())),
        UiFormat.time(run.startedAt()),
        UiFormat.duration(run.startedAt(), run.finishedAt()),
        run.reason());
  }
}

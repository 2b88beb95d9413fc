package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.StatusBar;
import io.gridrun.gateway.ui.UiFormat;

/** One row of the Jobs table. */
public record JobRow(
    String id,
    String name,
    String project,
    String pipeline,
    String status,
    StatusBar bar,
    String created,
    String nextFiring) {

  static JobRow of(ApiJob job) {
    return new JobRow(
        job.id(),
        job.name(),
        job.project(),
        job.pipeline(),
        job.status(),
        job.bar(),
        UiFormat.time(job.createdAt()),
        UiFormat.time(job.nextRunAt()));
  }
}

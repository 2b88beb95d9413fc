package io.gridrun.job.web;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.StepState;
import java.util.LinkedHashMap;
import java.util.Map;

/** The public JSON shapes of jobs and runs (docs/api.md). */
final class JobViews {

  private JobViews() {}

  static Map<String, Object> job(JobRecord job) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", job.id());
    view.put("name", job.name());
    view.put("project", job.project());
    view.put("pipeline", job.pipeline());
    view.put("status", job.status().name());
    view.put("runCount", job.runCount());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (ExecutionStatus s : ExecutionStatus.values()) {
      counts.put(s.name(), job.runCounts().get(s));
    }
    view.put("runCounts", counts);
    view.put("materializedRuns", job.materialized());
    view.put("dispatchedRuns", job.dispatched());
    view.put("snapshotId", job.snapshotId());
    view.put("reason", job.reason());
    view.put("createdAt", job.createdAt());
    view.put("startedAt", job.startedAt());
    view.put("finishedAt", job.finishedAt());
    view.put("env", job.env());
    view.put("grid", job.grid());
    view.put("maxParallelRuns", job.maxParallelRuns());
    view.put("options", job.options());
    view.put("best", job.best());
    view.put("gridRuns", job.gridRuns());
    view.put("batches", job.batches().count());
    if (job.options().maxRetainedRuns() != null) {
      view.put("workingCopiesRemoved", job.releasedBelow());
    }
    if (job.schedule() != null) {
      view.put("schedule", job.schedule());
      view.put("timezone", job.schedule().timezone() != null ? job.schedule().timezone() : "UTC");
      view.put("nextRunAt", job.batches().nextRunAt());
      view.put("skippedFirings", job.batches().skippedFirings());
      view.put("firings", job.batches().recentFirings());
    }
    return view;
  }

  static Map<String, Object> run(RunRecord run) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", run.id());
    view.put("jobId", run.jobId());
    view.put("index", run.index());
    view.put("gridIndex", run.gridIndex());
    view.put("batch", run.batch());
    view.put("status", run.status().name());
    view.put("attempt", run.attempt());
    view.put("executor", run.executor());
    Map<String, Object> parameters = new LinkedHashMap<>(); // "pipeline" before "steps"
    parameters.put("pipeline", run.parameters().pipeline());
    parameters.put("steps", run.parameters().steps());
    view.put("parameters", parameters);
    view.put("steps", run.steps().stream().map(JobViews::step).toList());
    view.put("metrics", run.metrics());
    view.put("reason", run.reason());
    view.put("startedAt", run.startedAt());
    view.put("finishedAt", run.finishedAt());
    return view;
  }

  private static Map<String, Object> step(StepState step) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", step.id());
    view.put("status", step.status().name());
    view.put("exitCode", step.exitCode());
    view.put("reason", step.reason());
    view.put("startedAt", step.startedAt());
    view.put("finishedAt", step.finishedAt());
    view.put("attempts", step.attempts());
    return view;
  }
}

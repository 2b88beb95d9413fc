package io.gridrun.gateway.job;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.gateway.config.RunLimit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks a job request against the pipeline it names and the registered environments. */
public final class JobRequestValidator {

  private final long maxGridSize;
  private final long maxRunsPerJob;

  public JobRequestValidator(long maxGridSize) {
    this(maxGridSize, Long.MAX_VALUE);
  }

  public JobRequestValidator(long maxGridSize, long maxRunsPerJob) {
    this.maxGridSize = maxGridSize;
    this.maxRunsPerJob = maxRunsPerJob;
  }

  /** Returns the number of runs the job will have. */
  public long validate(JobRequest request, PipelineDefinition pipeline, Set<String> environments) {
    List<String> problems = new ArrayList<>();
    String where = request.pipeline() != null ? request.pipeline() : pipeline.name();
    pipeline.problems().forEach(p -> problems.add("pipeline '" + where + "': " + p));
    for (StepDefinition step : pipeline.steps()) {
      if (step.environment() != null && !environments.contains(step.environment())) {
        problems.add(
            "step '"
                + step.id()
                + "' uses environment '"
                + step.environment()
                + "', which is not registered (PUT /api/v1/environments/"
                + step.environment()
                + ")");
      }
    }
    problems.addAll(request.grid().problems(pipeline));
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
    GridExpansion grid = new GridExpansion(pipeline, request.grid());
    if (grid.size() > maxGridSize) {
      throw new InvalidJobRequestException(
          "the grid has "
              + (grid.size() == Long.MAX_VALUE ? "too many" : String.valueOf(grid.size()))
              + " combinations, more than the limit of "
              + maxGridSize
              + " (gridrun.gateway.max-grid-size)");
    }
    problems.addAll(request.options().selection().problems(grid));
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
    long runs = request.options().selection().count(grid);
    if (runs == 0) {
      throw new InvalidJobRequestException(
          "the selection leaves no run: at least one combination must remain");
    }
    if (runs > maxGridSize) {
      throw new InvalidJobRequestException(
          "the job has "
              + runs
              + " runs, more than the limit of "
              + maxGridSize
              + " (gridrun.gateway.max-grid-size)");
    }
    if (runs > maxRunsPerJob) {
      throw new InvalidJobRequestException(RunLimit.tooMany(runs, maxRunsPerJob));
    }
    return runs;
  }
}

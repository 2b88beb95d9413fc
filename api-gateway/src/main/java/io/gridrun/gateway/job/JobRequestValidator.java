package io.gridrun.gateway.job;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks a job request against the pipeline it names and the registered environments. */
public final class JobRequestValidator {

  private final long maxGridSize;

  public JobRequestValidator(long maxGridSize) {
    this.maxGridSize = maxGridSize;
  }

  /** Returns the number of runs the job will have. */
  public long validate(JobRequest request, PipelineDefinition pipeline, Set<String> environments) {
    List<String> problems = new ArrayList<>();
    pipeline.problems().forEach(p -> problems.add("pipeline '" + request.pipeline() + "': " + p));
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
    long runs = new GridExpansion(pipeline, request.grid()).size();
    if (runs > maxGridSize) {
      throw new InvalidJobRequestException(
          "the grid has "
              + (runs == Long.MAX_VALUE ? "too many" : String.valueOf(runs))
              + " combinations, more than the limit of "
              + maxGridSize);
    }
    return runs;
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.runner.runtime.ContainerRuntime;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What must hold before any step of a run starts here: every step's environment is pinned in the
 * run's snapshot, and the runtime has every image the steps use. A run that fails this is rejected
 * ({@code run.rejected}) with the reason instead of starting some of its steps.
 */
final class RunPreflight {

  private final ContainerRuntime runtime;

  RunPreflight(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  /** Why the run cannot start here, or empty when it can. */
  Optional<String> problem(RunRequested run) {
    Set<String> images = new LinkedHashSet<>();
    for (StepDefinition step : run.pipeline().steps()) {
      PinnedEnvironment environment = run.environments().get(step.environment());
      if (environment == null) {
        return Optional.of("environment '" + step.environment() + "' is not in the snapshot");
      }
      images.add(environment.runnableImage());
    }
    for (String image : images) {
      Optional<String> missing = runtime.unavailable(image);
      if (missing.isPresent()) {
        return missing;
      }
    }
    return Optional.empty();
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.environment.EnvVars;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.pipeline.NetworkPolicy;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.common.secret.SecretBox;
import io.gridrun.common.secret.UnreadableSecretException;
import io.gridrun.runner.runtime.ContainerRuntime;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What must hold before any step of a run starts here: every step's environment is pinned in the
 * run's snapshot, the runtime has every image the steps use, the operator's network policy allows
 * every step's network, and every secret the steps get opens with this runner's key. A run that
 * fails this is rejected ({@code run.rejected}) with the reason instead of starting some of its
 * steps.
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

  /**
   * Why the operator's settings of this runner forbid the run: a step asks for a network that the
   * network policy refuses, or a secret does not open (altered, sealed under another key, or this
   * runner has no key). Empty when they allow it. Steps whose environment is not pinned are left to
   * {@link #problem}.
   */
  static Optional<String> refusal(RunRequested run, NetworkPolicy policy, SecretBox secrets) {
    for (StepDefinition step : run.pipeline().steps()) {
      PinnedEnvironment environment = run.environments().get(step.environment());
      if (environment == null) {
        continue;
      }
      if (policy.refuses(step.wantsNetwork(environment.wantsNetwork()))) {
        return Optional.of(NetworkPolicy.refusal(step.id()));
      }
    }
    for (StepDefinition step : run.pipeline().steps()) {
      PinnedEnvironment environment = run.environments().get(step.environment());
      if (environment == null) {
        continue;
      }
      try {
        StepSecrets.open(
            EnvVars.merge(environment.env(), run.pipeline().env(), run.env()), secrets);
      } catch (UnreadableSecretException e) {
        return Optional.of(e.getMessage());
      }
    }
    return Optional.empty();
  }
}

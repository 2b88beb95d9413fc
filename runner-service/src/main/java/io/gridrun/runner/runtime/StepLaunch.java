package io.gridrun.runner.runtime;

import java.util.List;
import java.util.Map;

/**
 * What to launch.
 *
 * @param image the pinned image (id or reference); ignored by the process runtime
 * @param command the step's command, run in the working copy
 * @param env the step's complete environment (user variables and gridrun's own)
 * @param labels identify the step's container (job, run, step, runner) for clean-up
 * @param isolation the step's own limits, network and user
 * @param timeLimit how long the step may run at most (what is left of the run's {@code timeout});
 *     null = no limit. The runner kills the step then in any case; a runtime may enforce it too
 *     (Kubernetes: {@code activeDeadlineSeconds})
 */
public record StepLaunch(
    String image,
    List<String> command,
    Map<String, String> env,
    StepWorkspace workspace,
    Map<String, String> labels,
    StepIsolation isolation,
    java.time.Duration timeLimit) {

  public static final String LABEL_JOB = "gridrun.job";
  public static final String LABEL_RUN = "gridrun.run";
  public static final String LABEL_ATTEMPT = "gridrun.attempt";
  public static final String LABEL_STEP = "gridrun.step";
  public static final String LABEL_RUNNER = "gridrun.runner";

  public StepLaunch {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    labels = Map.copyOf(labels);
    isolation = isolation == null ? StepIsolation.DEFAULT : isolation;
  }

  public StepLaunch(
      String image,
      List<String> command,
      Map<String, String> env,
      StepWorkspace workspace,
      Map<String, String> labels,
      StepIsolation isolation) {
    this(image, command, env, workspace, labels, isolation, null);
  }

  /** The same launch with a time limit. */
  public StepLaunch withTimeLimit(java.time.Duration limit) {
    return new StepLaunch(image, command, env, workspace, labels, isolation, limit);
  }

  /** A launch with the default isolation: no limits beyond gridrun's, no network. */
  public StepLaunch(
      String image,
      List<String> command,
      Map<String, String> env,
      StepWorkspace workspace,
      Map<String, String> labels) {
    this(image, command, env, workspace, labels, StepIsolation.DEFAULT);
  }
}

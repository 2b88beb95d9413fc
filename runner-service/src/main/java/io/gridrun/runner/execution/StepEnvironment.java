package io.gridrun.runner.execution;

import io.gridrun.common.environment.EnvVars;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.runner.runtime.StepPaths;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A step's environment variables: environment &lt; pipeline &lt; job, then gridrun's own, last so
 * that users cannot override them.
 */
public final class StepEnvironment {

  private StepEnvironment() {}

  public static Map<String, String> of(RunRequested run, StepDefinition step, StepPaths paths) {
    PinnedEnvironment environment = run.environments().get(step.environment());
    Map<String, String> env =
        EnvVars.merge(
            environment == null ? Map.of() : environment.env(), run.pipeline().env(), run.env());
    Map<String, Object> parameters = new LinkedHashMap<>(run.parameters().pipeline());
    parameters.putAll(run.parameters().step(step.id()));
    parameters.forEach((name, value) -> env.put(parameterVariable(name), text(value)));
    env.put("GRIDRUN_JOB_ID", run.jobId());
    env.put("GRIDRUN_RUN_ID", run.runId());
    env.put("GRIDRUN_RUN_INDEX", String.valueOf(run.index()));
    env.put("GRIDRUN_STEP_ID", step.id());
    env.put("GRIDRUN_DATA", paths.data());
    env.put("GRIDRUN_PARAMS_FILE", paths.paramsFile());
    env.put("GRIDRUN_METRICS_FILE", paths.metricsFile());
    // the orchest SDK: where outputs pass between the run's steps, and from which steps
    env.put("GRIDRUN_ORCHEST_TRANSFER", paths.project() + "/" + StepHelpers.ORCHEST_TRANSFER);
    env.put("GRIDRUN_ORCHEST_INCOMING", String.join(",", step.dependsOn()));
    if (isOrchest(run)) {
      // an Orchest pipeline: the variables Orchest set (the pipeline's own are in its env)
      env.put("ORCHEST_STEP_UUID", step.id());
      env.put("ORCHEST_RUN_UUID", run.runId());
    }
    return env;
  }

  /** Whether the run's pipeline was read from an Orchest pipeline file. */
  static boolean isOrchest(RunRequested run) {
    return run.pipeline().env().containsKey("ORCHEST_PIPELINE_UUID");
  }

  /** {@code GRIDRUN_PARAM_<NAME>}: upper-cased, anything but letters and digits as {@code _}. */
  public static String parameterVariable(String name) {
    return "GRIDRUN_PARAM_" + name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
  }

  /** Strings as they are, everything else as JSON text. */
  static String text(Object value) {
    return value instanceof String s ? s : EventCodec.mapper().writeValueAsString(value);
  }

  /** The content of {@code params.json}. */
  public static String paramsJson(RunRequested run, StepDefinition step) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("job", run.jobId());
    params.put("run", run.runId());
    params.put("index", run.index());
    params.put("step", step.id());
    params.put("pipeline", run.parameters().pipeline());
    params.put("step_parameters", run.parameters().step(step.id()));
    return EventCodec.mapper().writeValueAsString(params);
  }
}

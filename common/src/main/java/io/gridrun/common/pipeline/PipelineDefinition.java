package io.gridrun.common.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pipeline as written in a project's {@code *.pipeline.json} file: a DAG of steps with pipeline
 * parameters and environment variables. Unknown fields are ignored so that older readers accept
 * newer files.
 *
 * @param timeout optional limit of the whole run, a duration like {@code 2h}: when it passes,
 *     running steps are killed (reason {@code timeout}) and steps not started yet end aborted
 * @param maxStepParallelism optional: at most this many steps of one run at once (independent
 *     branches), besides the runner's own limit
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineDefinition(
    String name,
    Map<String, Object> parameters,
    Map<String, String> env,
    List<StepDefinition> steps,
    String timeout,
    Integer maxStepParallelism) {

  private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  @JsonCreator
  public PipelineDefinition {
    parameters =
        parameters == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** A pipeline without a run timeout or a step parallelism of its own. */
  public PipelineDefinition(
      String name,
      Map<String, Object> parameters,
      Map<String, String> env,
      List<StepDefinition> steps) {
    this(name, parameters, env, steps, null, null);
  }

  /**
   * This pipeline with a run timeout of at most {@code limit} (a duration text; null or invalid
   * changes nothing): a job's own timeout, which the pipeline's shorter one still overrides.
   */
  public PipelineDefinition withTimeoutAtMost(String limit) {
    Optional<Duration> cap = DurationText.parse(limit);
    if (cap.isEmpty() || (timeLimit().isPresent() && timeLimit().get().compareTo(cap.get()) <= 0)) {
      return this;
    }
    return new PipelineDefinition(name, parameters, env, steps, limit, maxStepParallelism);
  }

  /** How long a whole run may take, if limited. */
  public Optional<Duration> timeLimit() {
    return DurationText.parse(timeout);
  }

  public Optional<StepDefinition> step(String id) {
    return steps.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  /** Names of the environments the steps use, in first-use order. */
  public List<String> environmentNames() {
    return steps.stream().map(StepDefinition::environment).distinct().toList();
  }

  /**
   * Everything wrong with this pipeline, each as a sentence a person understands; empty when the
   * pipeline is valid.
   */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (steps.isEmpty()) {
      problems.add("the pipeline has no steps");
    }
    if (timeout != null) {
      if (timeLimit().isEmpty()) {
        problems.add(
            "the pipeline's timeout '"
                + timeout
                + "' is not a duration like "
                + DurationText.EXAMPLES);
      } else if (timeLimit().get().isZero()) {
        problems.add("the pipeline's timeout must be longer than 0");
      }
    }
    if (maxStepParallelism != null && maxStepParallelism < 1) {
      problems.add("maxStepParallelism must be at least 1, not " + maxStepParallelism);
    }
    Set<String> ids = new HashSet<>();
    for (StepDefinition step : steps) {
      if (step.id() == null || !STEP_ID.matcher(step.id()).matches()) {
        problems.add("step id '" + step.id() + "' must be 1-64 letters, digits, '_' or '-'");
        continue;
      }
      if (!ids.add(step.id())) {
        problems.add("step id '" + step.id() + "' is used more than once");
      }
      if (step.file() == null || step.file().isBlank()) {
        problems.add("step '" + step.id() + "' has no file");
      } else if (!ProjectPaths.isSafeRelative(step.file())) {
        problems.add(
            "step '"
                + step.id()
                + "' file '"
                + step.file()
                + "' must be a path inside the project");
      }
      if (step.environment() == null || step.environment().isBlank()) {
        problems.add("step '" + step.id() + "' has no environment");
      }
      problems.addAll(step.executionProblems());
    }
    for (StepDefinition step : steps) {
      for (String dependency : step.dependsOn()) {
        if (!ids.contains(dependency)) {
          problems.add(
              "step '"
                  + step.id()
                  + "' depends on '"
                  + dependency
                  + "', which is not a step of the pipeline");
        } else if (dependency.equals(step.id())) {
          problems.add("step '" + step.id() + "' depends on itself");
        }
      }
    }
    if (problems.isEmpty()) {
      Dag.of(this)
          .cycle()
          .ifPresent(cycle -> problems.add("the steps form a cycle: " + String.join(" → ", cycle)));
    }
    return problems;
  }
}

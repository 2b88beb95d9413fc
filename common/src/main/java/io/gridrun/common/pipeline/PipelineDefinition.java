package io.gridrun.common.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
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
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PipelineDefinition(
    String name,
    Map<String, Object> parameters,
    Map<String, String> env,
    List<StepDefinition> steps) {

  private static final Pattern STEP_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public PipelineDefinition {
    parameters =
        parameters == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    steps = steps == null ? List.of() : List.copyOf(steps);
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

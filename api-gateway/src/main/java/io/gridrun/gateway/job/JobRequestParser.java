package io.gridrun.gateway.job;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.pipeline.ProjectPaths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads the JSON of {@code POST /api/v1/jobs} by hand rather than by data binding, so that each
 * mistake gets its own message naming the field ("grid.pipeline.lr must be a list of values").
 * Unknown fields are ignored, as everywhere in gridrun.
 */
public final class JobRequestParser {

  private JobRequestParser() {}

  public static JobRequest parse(String body) {
    return parse(body, JobLimits.DEFAULTS);
  }

  public static JobRequest parse(String body, JobLimits limits) {
    Object root;
    try {
      root = EventCodec.mapper().readValue(body, Object.class);
    } catch (JacksonException e) {
      throw new InvalidJobRequestException(
          "the body is not valid JSON (or nests deeper than allowed): " + e.getOriginalMessage());
    }
    if (!(root instanceof Map<?, ?> json)) {
      throw new InvalidJobRequestException("the body must be a JSON object");
    }
    List<String> problems = new ArrayList<>();
    String name = requiredString(json, "name", problems);
    JobOptions options = JobOptionsParser.parse(json, problems, limits);
    boolean reuse = options.snapshotId() != null;
    String project =
        reuse ? optionalString(json, "project") : requiredString(json, "project", problems);
    String pipeline =
        reuse ? optionalString(json, "pipeline") : requiredString(json, "pipeline", problems);
    if (project != null && !ProjectPaths.isSafeName(project)) {
      problems.add("project '" + project + "' is not a valid project name");
    }
    if (pipeline != null && !ProjectPaths.isSafeRelative(pipeline)) {
      problems.add("pipeline '" + pipeline + "' must be a relative path inside the project");
    }
    ParameterGrid grid = grid(json.get("grid"), problems);
    Map<String, String> env = env(json.get("env"), problems);
    ValueSizes sizes = new ValueSizes(limits.maxParameterBytes(), problems);
    sizes.check("grid", json.get("grid"));
    sizes.check("include", json.get("include"));
    sizes.check("exclude", json.get("exclude"));
    env.forEach((k, v) -> sizes.check("env." + k, v));
    Integer maxParallelRuns =
        JobOptionsParser.positive(json.get("maxParallelRuns"), "maxParallelRuns", problems);
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
    return new JobRequest(name.strip(), project, pipeline, grid, env, maxParallelRuns, options);
  }

  private static String optionalString(Map<?, ?> json, String field) {
    return json.get(field) instanceof String text && !text.isBlank() ? text : null;
  }

  private static String requiredString(Map<?, ?> json, String field, List<String> problems) {
    Object value = json.get(field);
    if (!(value instanceof String text) || text.isBlank()) {
      problems.add(field + " is required and must be a non-empty string");
      return null;
    }
    return text;
  }

  private static ParameterGrid grid(Object value, List<String> problems) {
    if (value == null) {
      return ParameterGrid.EMPTY;
    }
    if (!(value instanceof Map<?, ?> grid)) {
      problems.add("grid must be an object with 'pipeline' and 'steps'");
      return ParameterGrid.EMPTY;
    }
    Map<String, List<Object>> pipeline = axes(grid.get("pipeline"), "grid.pipeline", problems);
    Map<String, Map<String, List<Object>>> steps = new LinkedHashMap<>();
    Object stepsValue = grid.get("steps");
    if (stepsValue != null && !(stepsValue instanceof Map)) {
      problems.add("grid.steps must be an object of step id to parameter lists");
    } else if (stepsValue != null) {
      ((Map<?, ?>) stepsValue)
          .forEach(
              (step, params) ->
                  steps.put(String.valueOf(step), axes(params, "grid.steps." + step, problems)));
    }
    return new ParameterGrid(pipeline, steps);
  }

  private static Map<String, List<Object>> axes(Object value, String where, List<String> problems) {
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    if (value == null) {
      return axes;
    }
    if (!(value instanceof Map<?, ?> params)) {
      problems.add(where + " must be an object of parameter name to a list of values");
      return axes;
    }
    params.forEach(
        (name, values) -> {
          if (!(values instanceof List<?> list)) {
            problems.add(where + "." + name + " must be a list of values, e.g. [0.1, 0.01]");
          } else if (list.isEmpty()) {
            problems.add(where + "." + name + " must list at least one value");
          } else {
            axes.put(String.valueOf(name), new ArrayList<>(list));
          }
        });
    return axes;
  }

  private static Map<String, String> env(Object value, List<String> problems) {
    Map<String, String> env = new LinkedHashMap<>();
    if (value == null) {
      return env;
    }
    if (!(value instanceof Map<?, ?> vars)) {
      problems.add("env must be an object of variable name to value");
      return env;
    }
    vars.forEach(
        (name, v) -> {
          String key = String.valueOf(name);
          if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            problems.add("env variable name '" + key + "' is not a valid variable name");
          } else if (v instanceof Map || v instanceof List || v == null) {
            problems.add("env." + key + " must be a string, number or boolean");
          } else {
            env.put(key, String.valueOf(v));
          }
        });
    return env;
  }
}

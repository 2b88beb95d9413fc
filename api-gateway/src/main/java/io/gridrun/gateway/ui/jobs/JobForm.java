package io.gridrun.gateway.ui.jobs;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.util.MultiValueMap;

/**
 * What the New job form holds, as typed: read from the form's fields (or the page's query, so a
 * half-filled form survives a reload), shown again unchanged when something is wrong. Copies with
 * other values go through the generated {@code JobFormBuilder}.
 *
 * @param loadedFor the project/pipeline whose parameters {@code parameters} are
 * @param schedule {@code now}, {@code at} or {@code cron}
 * @param at a {@code datetime-local} value, read in {@code timezone}
 * @param env {@code KEY=value} lines
 */
@RecordBuilder
public record JobForm(
    String name,
    String project,
    String pipeline,
    String loadedFor,
    List<ParameterField> parameters,
    RunSelection selection,
    int runsPage,
    String schedule,
    String at,
    String cron,
    String timezone,
    String overlap,
    String missed,
    String maxParallelRuns,
    boolean failFast,
    String timeout,
    String maxRetainedRuns,
    String env) {

  static JobForm read(MultiValueMap<String, String> form) {
    List<String> steps = form.getOrDefault("paramStep", List.of());
    List<String> names = form.getOrDefault("paramName", List.of());
    List<String> values = form.getOrDefault("paramValue", List.of());
    List<ParameterField> parameters = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parameters.add(
          new ParameterField(
              i < steps.size() ? steps.get(i) : "",
              names.get(i),
              i < values.size() ? values.get(i) : "",
              null));
    }
    String signature = signature(parameters);
    RunSelection selection =
        new RunSelection(
            !"none".equals(form.getFirst("selection")),
            indices(form.getFirst("toggled")),
            value(form, "signature"));
    if (!selection.signature().equals(signature)) {
      selection = RunSelection.allOf(signature);
    } else {
      selection =
          selection.withRows(
              new ArrayList<>(indices(String.join(",", form.getOrDefault("shown", List.of())))),
              indices(String.join(",", form.getOrDefault("tick", List.of()))));
    }
    String select = form.getFirst("select");
    if ("all".equals(select) || "none".equals(select)) {
      selection = new RunSelection("all".equals(select), new TreeSet<>(), signature);
    }
    return new JobForm(
        value(form, "name"),
        value(form, "project"),
        value(form, "pipeline"),
        value(form, "loadedFor"),
        parameters,
        selection,
        Math.max(0, intOr(form.getFirst("runsPage"), 0)),
        List.of("now", "at", "cron").contains(value(form, "schedule"))
            ? value(form, "schedule")
            : "now",
        value(form, "at"),
        value(form, "cron"),
        value(form, "timezone").isEmpty() ? "UTC" : value(form, "timezone"),
        value(form, "overlap").isEmpty() ? "allow" : value(form, "overlap"),
        value(form, "missed").isEmpty() ? "last" : value(form, "missed"),
        value(form, "maxParallelRuns"),
        form.containsKey("failFast"),
        value(form, "timeout"),
        value(form, "maxRetainedRuns"),
        value(form, "env"));
  }

  /** The parameter fields grouped as shown: the pipeline's, then one group per step. */
  public List<ParameterGroup> groups() {
    Map<String, List<ParameterGroup.Item>> byStep = new LinkedHashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      ParameterField f = parameters.get(i);
      byStep.computeIfAbsent(f.step(), s -> new ArrayList<>()).add(new ParameterGroup.Item(i, f));
    }
    return byStep.entrySet().stream()
        .map(e -> new ParameterGroup(e.getKey(), List.copyOf(e.getValue())))
        .toList();
  }

  /** The same form for another pipeline (none: empty). */
  JobForm withPipeline(String other) {
    return JobFormBuilder.builder(this).pipeline(other).build();
  }

  /** The key of the project/pipeline pair this form is for. */
  String target() {
    return project + "/" + pipeline;
  }

  public boolean parametersLoaded() {
    return !pipeline.isEmpty() && target().equals(loadedFor);
  }

  JobForm withParameters(List<ParameterField> fields) {
    return JobFormBuilder.builder(this)
        .loadedFor(target())
        .parameters(List.copyOf(fields))
        .selection(RunSelection.allOf(signature(fields)))
        .runsPage(0)
        .build();
  }

  /** The fields checked: each value parsed, a parser's message on each that is not JSON. */
  JobForm checked() {
    return JobFormBuilder.builder(this)
        .parameters(
            parameters.stream().map(f -> f.withError(JsonValues.parse(f.value()).error())).toList())
        .build();
  }

  boolean hasFieldErrors() {
    return parameters.stream().anyMatch(f -> f.error() != null);
  }

  /** {@code {"pipeline": {..}, "steps": {step: {..}}}} of the values typed (fields must parse). */
  Map<String, Object> grid() {
    Map<String, Object> pipelineLevel = new LinkedHashMap<>();
    Map<String, Map<String, Object>> steps = new LinkedHashMap<>();
    for (ParameterField f : parameters) {
      List<Object> values = JsonValues.parse(f.value()).values();
      if (f.pipelineLevel()) {
        pipelineLevel.put(f.name(), values);
      } else {
        steps.computeIfAbsent(f.step(), s -> new LinkedHashMap<>()).put(f.name(), values);
      }
    }
    Map<String, Object> grid = new LinkedHashMap<>();
    grid.put("pipeline", pipelineLevel);
    grid.put("steps", steps);
    return grid;
  }

  /** The job request for {@code POST /api/v1/jobs}; problems found before sending, if any. */
  Map<String, Object> request(long gridSize, List<String> problems) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("name", name);
    request.put("project", project);
    request.put("pipeline", pipeline);
    request.put("grid", grid());
    List<Long> runs = selection.runs(gridSize);
    if (runs != null) {
      if (runs.isEmpty()) {
        problems.add("Select at least one run under Pipeline runs.");
      }
      request.put("runs", runs);
    }
    switch (schedule) {
      case "at" -> request.put("schedule", Map.of("at", atWithOffset(problems)));
      case "cron" -> {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cron", cron);
        s.put("timezone", timezone);
        s.put("overlap", overlap);
        s.put("missed", missed);
        request.put("schedule", s);
      }
      default -> {}
    }
    putNumber(request, "maxParallelRuns", maxParallelRuns, "Max parallel runs", problems);
    putNumber(request, "maxRetainedRuns", maxRetainedRuns, "Max retained runs", problems);
    if (failFast) {
      request.put("failFast", true);
    }
    if (!timeout.isBlank()) {
      request.put("timeout", timeout.trim());
    }
    Map<String, String> vars = envVars(problems);
    if (!vars.isEmpty()) {
      request.put("env", vars);
    }
    return request;
  }

  /** The "Once at" time in its time zone, as the ISO-8601 time with offset the API takes. */
  String atWithOffset(List<String> problems) {
    try {
      return LocalDateTime.parse(at).atZone(ZoneId.of(timezone)).toOffsetDateTime().toString();
    } catch (DateTimeException e) {
      problems.add("Once at needs a date and time, e.g. 2026-12-01T09:00.");
      return at;
    }
  }

  private Map<String, String> envVars(List<String> problems) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String line : env.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 1) {
        problems.add("Environment variables: write one NAME=value per line.");
        continue;
      }
      vars.put(line.substring(0, eq).trim(), line.substring(eq + 1));
    }
    return vars;
  }

  private static void putNumber(
      Map<String, Object> request, String key, String text, String label, List<String> problems) {
    if (text.isBlank()) {
      return;
    }
    try {
      request.put(key, Integer.parseInt(text.trim()));
    } catch (NumberFormatException e) {
      problems.add(label + " must be a whole number.");
    }
  }

  static String signature(List<ParameterField> fields) {
    StringBuilder text = new StringBuilder();
    fields.forEach(f -> text.append(f.label()).append('=').append(f.value().strip()).append('\n'));
    return Integer.toHexString(text.toString().hashCode());
  }

  private static Set<Long> indices(String text) {
    Set<Long> indices = new TreeSet<>();
    if (text == null) {
      return indices;
    }
    for (String part : text.split(",")) {
      try {
        if (!part.isBlank()) {
          indices.add(Long.parseLong(part.trim()));
        }
      } catch (NumberFormatException ignored) {
        // not an index: nothing to select
      }
    }
    return indices;
  }

  private static int intOr(String text, int otherwise) {
    try {
      return text == null ? otherwise : Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }

  private static String value(MultiValueMap<String, String> form, String key) {
    String v = form.getFirst(key);
    return v == null ? "" : v;
  }
}

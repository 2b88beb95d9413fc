package io.gridrun.job.results;

import io.gridrun.job.domain.RunRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One row per run with its parameters and metrics, sortable by a metric ({@code <step>.<name>}) or
 * a parameter ({@code <name>} for the pipeline's, {@code <step>.<name>} for a step's). Runs without
 * a value for the sort key come last in either order; ties keep index order.
 */
public final class ResultsTable {

  private final List<RunRecord> runs;

  public ResultsTable(List<RunRecord> runs) {
    this.runs = List.copyOf(runs);
  }

  /** The rows in the asked order; {@code sort} null keeps index order. */
  public List<RunRecord> sorted(String sort, boolean descending) {
    List<RunRecord> rows = new ArrayList<>(runs);
    Comparator<RunRecord> byIndex = Comparator.comparingLong(RunRecord::index);
    if (sort == null || sort.isBlank()) {
      rows.sort(byIndex);
      return rows;
    }
    boolean metric = runs.stream().anyMatch(r -> metricValue(r, sort) != null);
    Comparator<Object> values = descending ? VALUE_ORDER.reversed() : VALUE_ORDER;
    rows.sort(
        (a, b) -> {
          Object va = metric ? metricValue(a, sort) : parameterValue(a, sort);
          Object vb = metric ? metricValue(b, sort) : parameterValue(b, sort);
          if (va == null || vb == null) {
            int missing = Boolean.compare(va == null, vb == null);
            return missing != 0 ? missing : byIndex.compare(a, b);
          }
          int compared = values.compare(va, vb);
          return compared != 0 ? compared : byIndex.compare(a, b);
        });
    return rows;
  }

  /** Numbers by value before strings, strings alphabetically, booleans false before true. */
  private static final Comparator<Object> VALUE_ORDER =
      (a, b) -> {
        int ra = rank(a);
        int rb = rank(b);
        if (ra != rb) {
          return Integer.compare(ra, rb);
        }
        if (a instanceof Number x && b instanceof Number y) {
          return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
          return Boolean.compare(x, y);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
      };

  private static int rank(Object value) {
    return value instanceof Number ? 0 : value instanceof Boolean ? 1 : 2;
  }

  static Object metricValue(RunRecord run, String key) {
    int dot = key.indexOf('.');
    if (dot < 0) {
      return null;
    }
    Map<String, Object> metrics = run.metrics().get(key.substring(0, dot));
    return metrics == null ? null : metrics.get(key.substring(dot + 1));
  }

  static Object parameterValue(RunRecord run, String key) {
    int dot = key.indexOf('.');
    if (dot > 0) {
      Object step = run.parameters().step(key.substring(0, dot)).get(key.substring(dot + 1));
      if (step != null) {
        return step;
      }
    }
    return run.parameters().pipeline().get(key);
  }

  /** CSV columns: the run, then every parameter and every metric that any run has. */
  public String csv(List<RunRecord> rows) {
    Set<String> pipelineParams = new LinkedHashSet<>();
    Set<String> stepParams = new LinkedHashSet<>();
    Set<String> metrics = new java.util.TreeSet<>();
    for (RunRecord run : rows) {
      pipelineParams.addAll(run.parameters().pipeline().keySet());
      run.parameters()
          .steps()
          .forEach((step, values) -> values.keySet().forEach(n -> stepParams.add(step + "." + n)));
      run.metrics()
          .forEach((step, values) -> values.keySet().forEach(n -> metrics.add(step + "." + n)));
    }
    StringBuilder out = new StringBuilder();
    List<String> header = new ArrayList<>(List.of("index", "run_id", "batch", "status"));
    pipelineParams.forEach(p -> header.add("param." + p));
    stepParams.forEach(p -> header.add("param." + p));
    metrics.forEach(m -> header.add("metric." + m));
    line(out, header);
    for (RunRecord run : rows) {
      List<String> cells = new ArrayList<>();
      cells.add(String.valueOf(run.index()));
      cells.add(run.id());
      cells.add(String.valueOf(run.batch()));
      cells.add(run.status().name());
      pipelineParams.forEach(p -> cells.add(text(run.parameters().pipeline().get(p))));
      stepParams.forEach(p -> cells.add(text(parameterValue(run, p))));
      metrics.forEach(m -> cells.add(text(metricValue(run, m))));
      line(out, cells);
    }
    return out.toString();
  }

  /** One row as JSON. */
  public static Map<String, Object> row(RunRecord run) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("index", run.index());
    row.put("runId", run.id());
    row.put("batch", run.batch());
    row.put("status", run.status().name());
    row.put(
        "parameters",
        Map.of("pipeline", run.parameters().pipeline(), "steps", run.parameters().steps()));
    row.put("metrics", run.metrics());
    return row;
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static void line(StringBuilder out, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      String cell = cells.get(i);
      if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")) {
        out.append('"').append(cell.replace("\"", "\"\"")).append('"');
      } else {
        out.append(cell);
      }
    }
    out.append("\r\n");
  }
}

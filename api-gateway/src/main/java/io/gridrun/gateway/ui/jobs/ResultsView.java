package io.gridrun.gateway.ui.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Job page's Results tab: every run's parameters and metrics ({@code <step>.<metric>} columns),
 * sorted by the API, the best run per numeric metric highlighted, and the data of the charts.
 *
 * @param sort the column sorted by (empty: run order)
 * @param chartData the runs as JSON for the charts ({@code static/js/gridrun-charts.js})
 */
public record ResultsView(
    List<String> parameterColumns,
    List<String> metricColumns,
    List<Row> rows,
    String sort,
    String order,
    ApiPage<?> page,
    String chartData) {

  /** One run: its values per parameter column and metric column, best metrics marked. */
  public record Row(
      long index, String runId, String status, List<String> parameters, List<Cell> metrics) {}

  public record Cell(String text, boolean best) {}

  /** Metrics whose name says lower is better (a loss, an error, a time); others: higher is. */
  static boolean lowerIsBetter(String metric) {
    String m = metric.toLowerCase(Locale.ROOT);
    return List.of("loss", "err", "mse", "mae", "time", "duration", "latency", "cost").stream()
        .anyMatch(m::contains);
  }

  /** The order a click on a column header asks for: the other one when it is the sorted column. */
  public String nextOrder(String column) {
    return column.equals(sort) && "asc".equals(order) ? "desc" : "asc";
  }

  /** {@code ascending}, {@code descending} or {@code none}, for aria-sort. */
  public String ariaSort(String column) {
    return !column.equals(sort) ? "none" : "asc".equals(order) ? "ascending" : "descending";
  }

  public String bestRule(String metric) {
    return lowerIsBetter(metric) ? "lowest is best" : "highest is best";
  }

  @SuppressWarnings("unchecked")
  static ResultsView of(
      List<Map<String, Object>> items,
      List<Map<String, Object>> chartItems,
      ApiPage<?> page,
      Map<String, ApiJob.Best> best,
      String sort,
      String order) {
    Set<String> parameterColumns = new LinkedHashSet<>();
    Set<String> metricColumns = new LinkedHashSet<>();
    for (Map<String, Object> item : chartItems.isEmpty() ? items : chartItems) {
      parameterColumns.addAll(parameters(item).keySet());
      metricColumns.addAll(metrics(item).keySet());
    }
    for (Map<String, Object> item : items) {
      parameterColumns.addAll(parameters(item).keySet());
      metricColumns.addAll(metrics(item).keySet());
    }
    Map<String, String> bestRun = new LinkedHashMap<>();
    if (best != null) {
      best.forEach(
          (metric, b) -> {
            ApiJob.Extreme e = lowerIsBetter(metric) ? b.min() : b.max();
            if (e != null && e.runId() != null) {
              bestRun.put(metric, e.runId());
            }
          });
    }
    List<Row> rows = new ArrayList<>();
    for (Map<String, Object> item : items) {
      Map<String, Object> p = parameters(item);
      Map<String, Object> m = metrics(item);
      String runId = String.valueOf(item.get("runId"));
      rows.add(
          new Row(
              ((Number) item.getOrDefault("index", 0)).longValue(),
              runId,
              String.valueOf(item.get("status")),
              parameterColumns.stream()
                  .map(c -> p.containsKey(c) ? JsonValues.text(p.get(c)) : "")
                  .toList(),
              metricColumns.stream()
                  .map(
                      c ->
                          new Cell(
                              m.containsKey(c) ? JsonValues.text(m.get(c)) : "",
                              runId.equals(bestRun.get(c))))
                  .toList()));
    }
    List<Map<String, Object>> chartRuns = new ArrayList<>();
    for (Map<String, Object> item : chartItems) {
      Map<String, Object> run = new LinkedHashMap<>();
      run.put("index", item.get("index"));
      run.put("status", item.get("status"));
      run.put("parameters", parameters(item));
      run.put("metrics", metrics(item));
      chartRuns.add(run);
    }
    Map<String, Object> chart = new LinkedHashMap<>();
    chart.put("parameters", new ArrayList<>(parameterColumns));
    chart.put("metrics", new ArrayList<>(metricColumns));
    chart.put("runs", chartRuns);
    return new ResultsView(
        List.copyOf(parameterColumns),
        List.copyOf(metricColumns),
        rows,
        sort,
        order,
        page,
        JsonValues.text(chart));
  }

  private static Map<String, Object> parameters(Map<String, Object> item) {
    Object p = item.get("parameters");
    return p instanceof Map<?, ?> m
        ? ParameterNames.flatten(m.get("pipeline"), m.get("steps"))
        : Map.of();
  }

  /** {@code {"fit": {"loss": 1}}} as {@code fit.loss → 1}. */
  private static Map<String, Object> metrics(Map<String, Object> item) {
    return ParameterNames.flatten(null, item.get("metrics"));
  }

  /** Which runs the charts show when they are not all of them; null when they are. */
  public String chartNote() {
    long total = page.total();
    return total > JobPageController.CHART_RUNS
        ? "The charts show the first "
            + JobPageController.CHART_RUNS
            + " of "
            + total
            + " runs in the table's order: sort by a metric to chart the best ones."
        : null;
  }
}

package io.gridrun.job.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.web.RunView;
import java.util.Map;

/**
 * A results table's rows and sort keys: one row per run with its parameters and metrics, sortable
 * by a metric ({@code <step>.<name>}) or a parameter ({@code <name>} for the pipeline's, {@code
 * <step>.<name>} for a step's).
 */
public final class ResultsTable {

  private ResultsTable() {}

  /** The run document's field holding metric {@code <step>.<name>}, or null for another key. */
  static String metricField(String key) {
    int dot = key.indexOf('.');
    return dot <= 0 || dot == key.length() - 1 ? null : "metrics." + key;
  }

  /** The run document's field holding step parameter {@code <step>.<name>}, or null. */
  static String stepParameterField(String key) {
    int dot = key.indexOf('.');
    return dot <= 0 || dot == key.length() - 1
        ? null
        : "parameters.steps." + key.substring(0, dot) + "." + key.substring(dot + 1);
  }

  static String pipelineParameterField(String key) {
    return "parameters.pipeline." + key;
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

  /** One row as JSON. */
  public static ResultRow row(RunRecord run) {
    return new ResultRow(
        run.index(),
        run.id(),
        run.batch(),
        run.status().name(),
        RunView.Parameters.of(run),
        run.metrics());
  }

  /** A row of the results table (docs/api.md). */
  @JsonPropertyOrder({"index", "runId", "batch", "status", "parameters", "metrics"})
  public record ResultRow(
      long index,
      String runId,
      int batch,
      String status,
      RunView.Parameters parameters,
      Map<String, Map<String, Object>> metrics) {}
}

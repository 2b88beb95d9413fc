package io.gridrun.job.results;

import io.gridrun.job.domain.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.text.StringEscapeUtils;

/**
 * The CSV columns of a results table: the run, then every parameter and every metric any run has.
 * Gathered run by run, so that the runs need not be in memory together.
 */
final class ResultsColumns {

  private final Set<String> pipelineParams = new LinkedHashSet<>();
  private final Set<String> stepParams = new LinkedHashSet<>();
  private final Set<String> metrics = new TreeSet<>();

  ResultsColumns add(RunRecord run) {
    pipelineParams.addAll(run.parameters().pipeline().keySet());
    run.parameters()
        .steps()
        .forEach((step, values) -> values.keySet().forEach(n -> stepParams.add(step + "." + n)));
    run.metrics()
        .forEach((step, values) -> values.keySet().forEach(n -> metrics.add(step + "." + n)));
    return this;
  }

  String header() {
    List<String> header = new ArrayList<>(List.of("index", "run_id", "batch", "status"));
    pipelineParams.forEach(p -> header.add("param." + p));
    stepParams.forEach(p -> header.add("param." + p));
    metrics.forEach(m -> header.add("metric." + m));
    return line(header);
  }

  String row(RunRecord run) {
    List<String> cells = new ArrayList<>();
    cells.add(String.valueOf(run.index()));
    cells.add(run.id());
    cells.add(String.valueOf(run.batch()));
    cells.add(run.status().name());
    pipelineParams.forEach(p -> cells.add(text(run.parameters().pipeline().get(p))));
    stepParams.forEach(p -> cells.add(text(ResultsTable.parameterValue(run, p))));
    metrics.forEach(m -> cells.add(text(ResultsTable.metricValue(run, m))));
    return line(cells);
  }

  private static String text(Object value) {
    return value == null ? "" : String.valueOf(value);
  }

  private static String line(List<String> cells) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(StringEscapeUtils.escapeCsv(cells.get(i)));
    }
    return out.append("\r\n").toString();
  }
}

package io.gridrun.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code gridrun results JOB [--sort train.loss] [--desc] [--top 10] [--csv]}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "results",
    description = "Every run's parameters and metrics, compared; sorted by a metric or parameter.")
final class ResultsCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "JOB")
  String job;

  @Option(
      names = "--sort",
      paramLabel = "KEY",
      description = "A metric (train.loss) or a parameter (lr, train.epochs).")
  String sort;

  @Option(names = "--desc", description = "Highest first.")
  boolean desc;

  @Option(names = "--top", paramLabel = "N", description = "Only the first N runs (at most 500).")
  Integer top;

  @Option(names = "--batch", paramLabel = "N", description = "Only this batch's runs.")
  Integer batch;

  @Option(names = "--csv", description = "The table as CSV.")
  boolean csv;

  @Override
  int run(Main main) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("sort", sort);
    query.put("order", desc ? "desc" : null);
    query.put("batch", batch);
    Api api = main.api();
    String base = "/api/v1/jobs/" + Api.segment(job);
    if (csv) {
      String text = api.getText(base + "/results.csv" + Api.query(query));
      List<String> lines = text.lines().toList();
      int keep = top == null ? lines.size() : Math.min(lines.size(), top + 1);
      for (int i = 0; i < keep; i++) {
        main.out.print(lines.get(i) + "\r\n");
      }
      return Main.OK;
    }
    query.put("size", top == null ? 500 : Math.max(1, Math.min(500, top)));
    String answer = api.getText(base + "/results" + Api.query(query));
    if (main.printedAsJson(answer)) {
      return Main.OK;
    }
    JsonNode page = Json.parse(answer);
    LinkedHashSet<String> parameters = new LinkedHashSet<>();
    LinkedHashSet<String> metrics = new LinkedHashSet<>();
    for (JsonNode run : page.path("items")) {
      parameters.addAll(Params.names(run.path("parameters")));
      JsonNode steps = run.path("metrics");
      for (String step : steps.propertyNames()) {
        for (String metric : steps.path(step).propertyNames()) {
          metrics.add(step + "." + metric);
        }
      }
    }
    List<String> headers = new ArrayList<>(List.of("INDEX", "STATUS"));
    headers.addAll(parameters);
    headers.addAll(metrics);
    Table table = new Table(headers);
    for (JsonNode run : page.path("items")) {
      List<String> row = new ArrayList<>();
      row.add(Json.cell(run.get("index")));
      row.add(Json.cell(run.get("status")));
      for (String parameter : parameters) {
        row.add(Json.cell(Params.value(run.path("parameters"), parameter)));
      }
      for (String metric : metrics) {
        int dot = metric.indexOf('.');
        row.add(
            Json.cell(
                run.path("metrics")
                    .path(metric.substring(0, dot))
                    .path(metric.substring(dot + 1))));
      }
      table.row(row);
    }
    table.printRuns(main.out, page);
    return Main.OK;
  }
}

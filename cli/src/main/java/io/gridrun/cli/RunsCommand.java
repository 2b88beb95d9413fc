package io.gridrun.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code gridrun runs ls JOB [--status S] [--param lr=0.1]}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "runs",
    description = "The runs of a job.",
    subcommands = {RunsCommand.Ls.class})
final class RunsCommand {

  @Command(
      mixinStandardHelpOptions = true,
      name = "ls",
      description = "Runs in order, with parameters, status and reason.")
  static final class Ls extends ClientCommand {
    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--status", paramLabel = "S", description = "Only runs in this status.")
    String status;

    @Option(
        names = "--param",
        paramLabel = "NAME=VALUE",
        description = "Only runs with this parameter value (train.epochs=3 for a step's).")
    List<String> params = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "N", description = "Only this batch's runs.")
    Integer batch;

    @Option(names = "--limit", paramLabel = "N", description = "At most N runs (default 500).")
    int limit = 500;

    @Override
    int run(Main main) {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("status", status == null ? null : status.toUpperCase(Locale.ROOT));
      query.put("batch", batch);
      for (String param : params) {
        Map.Entry<String, String> filter = Params.filter(param);
        query.put(filter.getKey(), filter.getValue());
      }
      query.put("size", Math.max(1, Math.min(500, limit)));
      String answer =
          main.api().getText("/api/v1/jobs/" + Api.segment(job) + "/runs" + Api.query(query));
      if (main.printedAsJson(answer)) {
        return Main.OK;
      }
      JsonNode page = Json.parse(answer);
      LinkedHashSet<String> names = new LinkedHashSet<>();
      page.path("items").forEach(run -> names.addAll(Params.names(run.path("parameters"))));
      List<String> headers = new ArrayList<>(List.of("INDEX", "BATCH", "STATUS"));
      headers.addAll(names);
      headers.addAll(List.of("REASON", "ID"));
      Table table = new Table(headers);
      for (JsonNode run : page.path("items")) {
        List<String> row = new ArrayList<>();
        row.add(Json.cell(run.get("index")));
        row.add(Json.cell(run.get("batch")));
        row.add(Json.cell(run.get("status")));
        for (String name : names) {
          row.add(Json.cell(Params.value(run.path("parameters"), name)));
        }
        row.add(reason(run));
        row.add(Json.cell(run.get("id")));
        table.row(row);
      }
      table.printRuns(main.out, page);
      return Main.OK;
    }

    /** The failed step and its reason, else the run's reason. */
    private static String reason(JsonNode run) {
      for (JsonNode step : run.path("steps")) {
        if ("FAILURE".equals(Json.text(step, "status"))) {
          // a step with a title (an Orchest step) is named by it, its id after
          String title = Json.text(step, "title");
          String id = Json.text(step, "id");
          return (title == null ? id : title + " (" + id + ")") + ": " + Json.text(step, "reason");
        }
      }
      String reason = Json.text(run, "reason");
      return reason == null ? "" : reason;
    }
  }
}

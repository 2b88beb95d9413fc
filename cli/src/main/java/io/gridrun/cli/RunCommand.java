package io.gridrun.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code gridrun run PROJECT PIPELINE [options]}: creates a job (or previews it). */
@Command(
    mixinStandardHelpOptions = true,
    name = "run",
    description = "Create a job: the pipeline once per combination of the --param values.")
final class RunCommand extends ClientCommand {

  @Parameters(index = "0", paramLabel = "PROJECT", description = "The project.")
  String project;

  @Parameters(
      index = "1",
      paramLabel = "PIPELINE",
      description = "The pipeline file; 'train' stands for 'train.pipeline.json'.")
  String pipeline;

  @Option(names = "--name", paramLabel = "N", description = "The job's name (default: pipeline).")
  String name;

  @Option(
      names = "--param",
      paramLabel = "NAME=V1,V2",
      description =
          "Values of a parameter: JSON scalars separated by commas, or a JSON list "
              + "('tags=[\"a,b\",\"c\"]'); a dotted name (train.epochs) is a step's parameter.")
  List<String> params = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "NAME=V,NAME=V",
      description = "A combination to leave out, e.g. 'lr=0.1,train.epochs=3'.")
  List<String> excludes = new ArrayList<>();

  @Option(names = "--cron", paramLabel = "EXPR", description = "Run on a cron schedule.")
  String cron;

  @Option(names = "--tz", paramLabel = "ZONE", description = "The cron schedule's time zone.")
  String timezone;

  @Option(names = "--at", paramLabel = "TIME", description = "Run once at an ISO-8601 time.")
  String at;

  @Option(names = "--max-parallel", paramLabel = "N", description = "At most N runs at once.")
  Integer maxParallel;

  @Option(names = "--fail-fast", description = "The first failed run cancels the rest.")
  boolean failFast;

  @Option(names = "--timeout", paramLabel = "DURATION", description = "Each run's limit (2h).")
  String timeout;

  @Option(names = "--env", paramLabel = "K=V", description = "A variable for every step.")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--secret",
      paramLabel = "K=V",
      description = "A secret variable for every step: shown as •••• from then on.")
  List<String> secrets = new ArrayList<>();

  @Option(names = "--watch", description = "Follow the job until it ends (exit code as watch).")
  boolean watch;

  @Option(names = "--dry-run", description = "Show the runs it would create; create nothing.")
  boolean dryRun;

  @Override
  int run(Main main) throws Exception {
    ObjectNode request = request();
    Api api = main.api();
    if (dryRun) {
      preview(main, api, request);
      return Main.OK;
    }
    String answer = api.postJson("/api/v1/jobs", Json.write(request));
    JsonNode created = Json.parse(answer);
    String id = Json.text(created, "id");
    if (!main.printedAsJson(answer)) {
      main.out.println(
          "Job " + id + " created: " + api.server() + "/api/v1/jobs/" + Api.segment(id));
    }
    if (!watch) {
      return Main.OK;
    }
    return new JobWatch(main, api, id, true).watch();
  }

  /** The job request, as {@code POST /api/v1/jobs} takes it. */
  ObjectNode request() {
    ObjectNode request = Json.object();
    String file =
        pipeline.endsWith(".json") || pipeline.endsWith(".orchest")
            ? pipeline
            : pipeline + ".pipeline.json";
    request.put("name", name != null ? name : defaultName(file));
    request.put("project", project);
    request.put("pipeline", file);
    if (!params.isEmpty()) {
      request.set("grid", Params.grid(params));
    }
    if (!excludes.isEmpty()) {
      ArrayNode exclude = request.putArray("exclude");
      excludes.forEach(e -> exclude.add(Params.combination(e)));
    }
    if (!env.isEmpty()) {
      request.set("env", Params.env(env));
    }
    if (!secrets.isEmpty()) {
      request.set("secrets", Params.secrets(secrets));
    }
    if (cron != null && at != null) {
      throw new CliException(Main.CLIENT_ERROR, "--cron and --at exclude each other");
    }
    if (timezone != null && cron == null) {
      throw new CliException(Main.CLIENT_ERROR, "--tz goes with --cron");
    }
    if (cron != null) {
      ObjectNode schedule = request.putObject("schedule");
      schedule.put("cron", cron);
      if (timezone != null) {
        schedule.put("timezone", timezone);
      }
    } else if (at != null) {
      request.putObject("schedule").put("at", at);
    }
    if (maxParallel != null) {
      request.put("maxParallelRuns", maxParallel);
    }
    if (failFast) {
      request.put("failFast", true);
    }
    if (timeout != null) {
      request.put("timeout", Params.duration(timeout));
    }
    return request;
  }

  /** Runs a dry run shows as a table at most (JSON output lists them all). */
  private static final int SHOWN = 1000;

  private static String defaultName(String file) {
    String base = file.substring(file.lastIndexOf('/') + 1);
    return base.replaceFirst("((\\.pipeline)?\\.json|\\.orchest)$", "");
  }

  private static void preview(Main main, Api api, ObjectNode request) {
    List<JsonNode> items = new ArrayList<>();
    long total = 0;
    long gridSize = 0;
    for (int page = 0; ; page++) {
      JsonNode answer =
          Json.parse(
              api.postJson("/api/v1/jobs:preview?page=" + page + "&size=500", Json.write(request)));
      answer.path("items").forEach(items::add);
      total = answer.path("total").asLong(items.size());
      gridSize = answer.path("gridSize").asLong(total);
      if (answer.path("items").isEmpty()
          || items.size() >= total
          || (!main.json() && items.size() >= SHOWN)) {
        break;
      }
    }
    if (main.json()) {
      ArrayNode list = Json.array();
      for (JsonNode item : items) {
        ObjectNode run = list.addObject();
        run.set("index", item.path("index"));
        run.set("parameters", item.path("parameters"));
      }
      main.out.println(Json.write(list));
      return;
    }
    LinkedHashSet<String> names = new LinkedHashSet<>();
    items.forEach(item -> names.addAll(Params.names(item.path("parameters"))));
    List<String> headers = new ArrayList<>();
    headers.add("INDEX");
    headers.addAll(names);
    Table table = new Table(headers);
    for (JsonNode item : items) {
      List<String> row = new ArrayList<>();
      row.add(item.path("index").asString());
      for (String parameter : names) {
        row.add(Json.cell(Params.value(item.path("parameters"), parameter)));
      }
      table.row(row);
    }
    main.out.print(table.render());
    if (items.size() < total) {
      main.out.println("… and " + (total - items.size()) + " more");
    }
    main.out.println(
        total + " run" + (total == 1 ? "" : "s") + " (grid of " + gridSize + "); nothing created");
  }
}

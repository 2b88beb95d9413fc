package io.gridrun.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code gridrun jobs ls|show|cancel|pause|resume|trigger|rerun-failed|duplicate|rm}. */
@Command(
    mixinStandardHelpOptions = true,
    name = "jobs",
    description = "List, show and control jobs.",
    subcommands = {
      JobsCommand.Ls.class,
      JobsCommand.Show.class,
      JobsCommand.Cancel.class,
      JobsCommand.Pause.class,
      JobsCommand.Resume.class,
      JobsCommand.Trigger.class,
      JobsCommand.RerunFailed.class,
      JobsCommand.Duplicate.class,
      JobsCommand.Rm.class
    })
final class JobsCommand {

  static final List<String> STATUSES =
      List.of("PENDING", "STARTED", "SUCCESS", "FAILURE", "ABORTED");

  @Command(mixinStandardHelpOptions = true, name = "ls", description = "Jobs, newest first.")
  static final class Ls extends ClientCommand {
    @Option(names = "--status", paramLabel = "S", description = "Only jobs in this status.")
    String status;

    @Option(names = "--project", paramLabel = "P", description = "Only jobs of this project.")
    String project;

    @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (default 50).")
    int limit = 50;

    @Override
    int run(Main main) {
      Map<String, Object> query = new LinkedHashMap<>();
      query.put("status", status == null ? null : status.toUpperCase(java.util.Locale.ROOT));
      query.put("project", project);
      query.put("size", Math.max(1, Math.min(500, limit)));
      String answer = main.api().getText("/api/v1/jobs" + Api.query(query));
      if (main.printedAsJson(answer)) {
        return Main.OK;
      }
      JsonNode page = Json.parse(answer);
      Table table =
          new Table("ID", "NAME", "PROJECT", "STATUS", "RUNS", "SUCCESS", "FAILURE", "CREATED");
      for (JsonNode job : page.path("items")) {
        JsonNode counts = job.path("runCounts");
        table.row(
            Json.text(job, "id"),
            Json.text(job, "name"),
            Json.text(job, "project"),
            Json.text(job, "status"),
            Json.cell(job.get("runCount")),
            Json.cell(counts.get("SUCCESS")),
            Json.cell(counts.get("FAILURE")),
            Json.text(job, "createdAt"));
      }
      main.out.print(table.render());
      long total = page.path("total").asLong(0);
      if (total > page.path("items").size()) {
        main.out.println("(" + page.path("items").size() + " of " + total + " jobs)");
      }
      return Main.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "show",
      description = "One job: status, counts, schedule, best metrics.")
  static final class Show extends ClientCommand {
    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Override
    int run(Main main) {
      String answer = main.api().getText("/api/v1/jobs/" + Api.segment(job));
      if (main.printedAsJson(answer)) {
        return Main.OK;
      }
      JsonNode j = Json.parse(answer);
      Table table = new Table("FIELD", "VALUE");
      for (String field :
          List.of(
              "id",
              "name",
              "project",
              "pipeline",
              "status",
              "reason",
              "runCount",
              "snapshotId",
              "createdAt",
              "startedAt",
              "finishedAt",
              "maxParallelRuns",
              "timeout",
              "failFast",
              "schedule",
              "nextRunAt",
              "batches",
              "grid",
              "env",
              "secrets")) {
        JsonNode value = j.get(field);
        if (value != null && !value.isNull() && !(value.isObject() && value.isEmpty())) {
          table.row(field, Json.cell(value));
        }
      }
      JsonNode counts = j.path("runCounts");
      StringBuilder text = new StringBuilder();
      for (String status : STATUSES) {
        text.append(text.isEmpty() ? "" : " ").append(status).append('=');
        text.append(counts.path(status).asLong(0));
      }
      table.row("runCounts", text);
      JsonNode best = j.path("best");
      for (String metric : best.propertyNames()) {
        JsonNode min = best.path(metric).path("min");
        JsonNode max = best.path(metric).path("max");
        table.row(
            "best " + metric,
            "min "
                + Json.cell(min.get("value"))
                + " (run "
                + Json.cell(min.get("index"))
                + "), max "
                + Json.cell(max.get("value"))
                + " (run "
                + Json.cell(max.get("index"))
                + ")");
      }
      main.out.print(table.render());
      return Main.OK;
    }
  }

  /** A control operation: {@code POST /api/v1/jobs/{id}/<action>}. */
  abstract static class Control extends ClientCommand {
    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    private final String action;
    private final String done;

    Control(String action, String done) {
      this.action = action;
      this.done = done;
    }

    @Override
    int run(Main main) {
      String answer = main.api().postJson("/api/v1/jobs/" + Api.segment(job) + "/" + action, "");
      if (!main.printedAsJson(answer)) {
        main.out.println("Job " + job + ": " + done);
      }
      return Main.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "cancel",
      description = "Stop the job: unfinished runs end ABORTED.")
  static final class Cancel extends Control {
    Cancel() {
      super("cancel", "cancel requested");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "pause",
      description = "Pause a cron job's firings.")
  static final class Pause extends Control {
    Pause() {
      super("pause", "pause requested");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "resume",
      description = "Resume a paused cron job.")
  static final class Resume extends Control {
    Resume() {
      super("resume", "resume requested");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "trigger",
      description = "Fire a cron job once now.")
  static final class Trigger extends Control {
    Trigger() {
      super("trigger", "one batch triggered");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "rerun-failed",
      description = "Run the failed and aborted runs again.")
  static final class RerunFailed extends Control {
    RerunFailed() {
      super("rerun-failed", "failed runs requested again");
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "duplicate",
      description = "A new job like this one, on a fresh snapshot.")
  static final class Duplicate extends ClientCommand {
    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Override
    int run(Main main) {
      Api api = main.api();
      String answer = api.postJson("/api/v1/jobs/" + Api.segment(job) + "/duplicate", "");
      if (!main.printedAsJson(answer)) {
        String id = Json.text(Json.parse(answer), "id");
        main.out.println("Job " + id + " created as a duplicate of " + job);
      }
      return Main.OK;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "rm",
      description = "Delete the job, its runs, logs and snapshot.")
  static final class Rm extends ClientCommand {
    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Override
    int run(Main main) {
      String answer = main.api().delete("/api/v1/jobs/" + Api.segment(job));
      if (main.json()) {
        main.out.println(answer.isBlank() ? "{\"id\":" + Json.write(job) + "}" : answer.strip());
      } else {
        main.out.println("Job " + job + " deleted");
      }
      return Main.OK;
    }
  }
}

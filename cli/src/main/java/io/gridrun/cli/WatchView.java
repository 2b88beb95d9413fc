package io.gridrun.cli;

import io.gridrun.cli.JobWatch.Failure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link JobWatch} shows of a job: its state as JSON ({@code --output json}), one line (output
 * that is not a terminal) or a block of a bar per status (a terminal), each with the rate, the ETA
 * and the latest failures.
 */
final class WatchView {

  private static final int BAR = 30;

  private final String id;
  private final Clock clock;
  private final Deque<Failure> failures;

  /**
   * @param failures the latest failures, kept by the watch
   */
  WatchView(String id, Clock clock, Deque<Failure> failures) {
    this.id = id;
    this.clock = clock;
    this.failures = failures;
  }

  ObjectNode state(JsonNode current, boolean done) {
    ObjectNode state = Json.object();
    state.put("id", id);
    state.set("name", current.path("name"));
    state.put("status", Json.text(current, "status"));
    state.put("runCount", current.path("runCount").asLong(0));
    state.set("runCounts", current.path("runCounts"));
    Rate rate = rate(current);
    state.put("runsPerMinute", Math.round(rate.perMinute() * 10) / 10.0);
    if (rate.eta() != null) {
      state.put("etaSeconds", rate.eta().toSeconds());
    } else {
      state.putNull("etaSeconds");
    }
    ArrayNode list = state.putArray("failures");
    for (Failure failure : failures) {
      ObjectNode f = list.addObject();
      if (failure.index() != null) {
        f.put("index", failure.index());
      } else {
        f.putNull("index");
      }
      f.put("runId", failure.runId());
      f.put("step", failure.step());
      f.put("reason", failure.reason());
    }
    state.put("final", done);
    return state;
  }

  /** One line, for output that is not a terminal. */
  String line(JsonNode current) {
    JsonNode counts = current.path("runCounts");
    StringBuilder line = new StringBuilder();
    line.append(Json.text(current, "status"));
    for (String status : JobsCommand.STATUSES) {
      line.append("  ")
          .append(status.toLowerCase(Locale.ROOT))
          .append(' ')
          .append(counts.path(status).asLong(0));
    }
    line.append("  of ").append(current.path("runCount").asLong(0));
    Rate rate = rate(current);
    line.append(String.format(Locale.ROOT, "  %.1f runs/min", rate.perMinute()));
    if (rate.eta() != null) {
      line.append("  ETA ").append(Units.duration(rate.eta()));
    }
    Failure latest = failures.peekLast();
    if (latest != null) {
      line.append("  latest failure: ").append(describe(latest));
    }
    return line.toString();
  }

  /** The block drawn on a terminal: a bar per status, rate and ETA, the latest failures. */
  List<String> lines(JsonNode current) {
    List<String> lines = new ArrayList<>();
    long total = current.path("runCount").asLong(0);
    JsonNode counts = current.path("runCounts");
    lines.add(
        "Job "
            + id
            + " ("
            + Json.cell(current.get("name"))
            + ")  "
            + Json.text(current, "status")
            + "  "
            + total
            + " runs");
    for (String status : JobsCommand.STATUSES) {
      long count = counts.path(status).asLong(0);
      int filled = total == 0 ? 0 : (int) Math.round((double) BAR * count / total);
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-8s [%s%s] %d",
              status,
              "#".repeat(filled),
              ".".repeat(BAR - filled),
              count));
    }
    Rate rate = rate(current);
    lines.add(
        String.format(Locale.ROOT, "  %.1f runs/min", rate.perMinute())
            + (rate.eta() == null ? "" : "  ETA " + Units.duration(rate.eta())));
    if (!failures.isEmpty()) {
      lines.add("  latest failures:");
      failures.forEach(f -> lines.add("    " + describe(f)));
    }
    return lines;
  }

  private static String describe(Failure failure) {
    return (failure.index() != null ? "run " + failure.index() : failure.runId())
        + "  step "
        + failure.step()
        + ": "
        + failure.reason();
  }

  /**
   * Runs per minute from the job's start to now (or to its end), and the time the unfinished runs
   * would take at that pace.
   */
  record Rate(double perMinute, Duration eta) {}

  Rate rate(JsonNode current) {
    JsonNode counts = current.path("runCounts");
    long done =
        counts.path("SUCCESS").asLong(0)
            + counts.path("FAILURE").asLong(0)
            + counts.path("ABORTED").asLong(0);
    long left = Math.max(0, current.path("runCount").asLong(0) - done);
    String started = Json.text(current, "startedAt");
    if (started == null || done == 0) {
      return new Rate(0, null);
    }
    String finished = Json.text(current, "finishedAt");
    Duration elapsed;
    try {
      Instant end = finished != null ? Instant.parse(finished) : clock.instant();
      elapsed = Duration.between(Instant.parse(started), end);
    } catch (java.time.format.DateTimeParseException e) {
      return new Rate(0, null);
    }
    double minutes = Math.max(elapsed.toMillis(), 1000) / 60_000.0;
    double perMinute = done / minutes;
    Duration eta =
        JobWatch.terminal(Json.text(current, "status"))
            ? Duration.ZERO
            : Duration.ofSeconds(Math.round(left / perMinute * 60));
    return new Rate(perMinute, eta);
  }
}

package io.gridrun.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A live view of one job, fed by the event stream: every status event of the job makes it read the
 * job again (at most every {@value #COALESCE_MS} ms), so counts are the server's, never guessed;
 * when the count of failed runs changed it also reads the latest failed runs. Redraws in place on a
 * terminal; prints one line per change otherwise; JSON lines with {@code --output json}. Returns
 * the job's exit code once it ended.
 */
final class JobWatch {

  static final long COALESCE_MS = 200;
  static final Duration READABLE_WITHIN = Duration.ofSeconds(60);
  private static final int FAILURES_SHOWN = 5;

  /** A failed step of a run. */
  record Failure(Long index, String runId, String step, String reason) {}

  private final Main main;
  private final Api api;
  private final String id;
  private final EventStream events;
  private final boolean created;
  private final Deque<Failure> failures = new ArrayDeque<>();
  private final WatchView view;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "gridrun-watch");
            thread.setDaemon(true);
            return thread;
          });

  private String lastChange = "";
  private int drawnLines;
  private long failedRuns;
  private boolean refreshScheduled;
  private volatile String finalStatus;
  private volatile RuntimeException refreshFailure;

  JobWatch(Main main, Api api, String id) {
    this(main, api, id, false);
  }

  /**
   * @param created the job was created just now: a {@code 404} at first means the job is not
   *     readable yet (a busy job-service), and is asked again for up to {@link #READABLE_WITHIN}
   */
  JobWatch(Main main, Api api, String id, boolean created) {
    this.main = main;
    this.api = api;
    this.id = id;
    this.created = created;
    this.events = new EventStream(api, id);
    this.view = new WatchView(id, main.clock, failures);
  }

  int watch() {
    try {
      JsonNode first = firstLook();
      seedFailures(first);
      if (terminal(Json.text(first, "status"))) {
        return finish(first); // already ended: its final state only
      }
      show(first);
      int failedConnections = 0;
      while (finalStatus == null) {
        boolean stopped;
        try {
          stopped = events.read(this::refreshSoon, this::onEvent);
          failedConnections = 0;
        } catch (CliException e) {
          if (e.exitCode() == Main.CLIENT_ERROR || ++failedConnections > 3) {
            throw e;
          }
          stopped = false;
        }
        if (refreshFailure != null) {
          throw refreshFailure;
        }
        if (!stopped && finalStatus == null) {
          sleep(Duration.ofSeconds(1)); // the stream ended or was dropped: resume after its cursor
        }
      }
      JsonNode last = refreshNow();
      return finish(last);
    } finally {
      refresher.shutdownNow();
    }
  }

  private JsonNode firstLook() {
    Instant giveUp = main.clock.instant().plus(READABLE_WITHIN);
    while (true) {
      try {
        return api.get("/api/v1/jobs/" + Api.segment(id));
      } catch (CliException e) {
        if (!created || e.httpStatus() != 404 || main.clock.instant().isAfter(giveUp)) {
          throw e;
        }
        sleep(Duration.ofMillis(500));
      }
    }
  }

  /** Handles one event; false once the job ended. */
  private boolean onEvent(EventStream.Event event) {
    JsonNode data = Json.tryParse(event.data());
    if (data == null || !id.equals(Json.text(data, "jobId"))) {
      return finalStatus == null; // comments, "dropped" (the stream then ends and is resumed)
    }
    String status = Json.text(data, "status");
    if ("job.status".equals(event.type()) && terminal(status)) {
      finalStatus = status;
      return false;
    }
    refreshSoon();
    return finalStatus == null;
  }

  private synchronized void refreshSoon() {
    if (refreshScheduled) {
      return;
    }
    refreshScheduled = true;
    refresher.schedule(
        () -> {
          synchronized (this) {
            refreshScheduled = false;
          }
          try {
            JsonNode current = refreshNow();
            if (terminal(Json.text(current, "status"))) {
              finalStatus = Json.text(current, "status");
              events.close();
            }
          } catch (RuntimeException e) {
            refreshFailure = e;
            events.close();
          }
        },
        COALESCE_MS,
        TimeUnit.MILLISECONDS);
  }

  private JsonNode refreshNow() {
    JsonNode current = api.get("/api/v1/jobs/" + Api.segment(id));
    seedFailures(current);
    show(current);
    return current;
  }

  private synchronized void show(JsonNode current) {
    String change = changeKey(current);
    if (change.equals(lastChange)) {
      return;
    }
    lastChange = change;
    if (main.json()) {
      main.out.println(Json.write(view.state(current, false)));
    } else if (main.terminal) {
      redraw(view.lines(current));
    } else {
      main.out.println(view.line(current));
    }
    main.out.flush();
  }

  private synchronized int finish(JsonNode last) {
    String status = terminal(Json.text(last, "status")) ? Json.text(last, "status") : finalStatus;
    if (main.json()) {
      ObjectNode state = view.state(last, true);
      state.put("status", status);
      main.out.println(Json.write(state));
    } else {
      if (!main.terminal && !lastChange.equals(changeKey(last))) {
        main.out.println(view.line(last));
      }
      if (main.terminal) {
        redraw(view.lines(last));
      }
      JsonNode counts = last.path("runCounts");
      String reason = Json.text(last, "reason");
      main.out.printf(
          Locale.ROOT,
          "Job %s ended %s: %d succeeded, %d failed, %d aborted of %d runs%s%n",
          id,
          status,
          counts.path("SUCCESS").asLong(0),
          counts.path("FAILURE").asLong(0),
          counts.path("ABORTED").asLong(0),
          last.path("runCount").asLong(0),
          reason == null ? "" : " (" + reason + ")");
    }
    main.out.flush();
    return switch (String.valueOf(status)) {
      case "SUCCESS" -> Main.OK;
      case "FAILURE" -> Main.JOB_FAILED;
      default -> Main.JOB_ABORTED;
    };
  }

  /** What counts as a change: the status, the counts and the failures shown. */
  private String changeKey(JsonNode current) {
    return Json.text(current, "status")
        + Json.write(current.path("runCounts"))
        + current.path("runCount").asLong()
        + failures;
  }

  private void redraw(List<String> lines) {
    StringBuilder text = new StringBuilder();
    if (drawnLines > 0) {
      text.append("\033[").append(drawnLines).append('F');
    }
    for (String line : lines) {
      text.append("\033[2K").append(line).append('\n');
    }
    for (int extra = lines.size(); extra < drawnLines; extra++) {
      text.append("\033[2K\n");
    }
    drawnLines = Math.max(drawnLines, lines.size());
    main.out.print(text);
  }

  private void remember(Failure failure) {
    failures.addLast(failure);
    while (failures.size() > FAILURES_SHOWN) {
      failures.removeFirst();
    }
  }

  /**
   * The latest failed runs with their failed step, read again whenever the job's count of failed
   * runs changed (so that failures between two events, or before the watch began, are shown too).
   */
  private synchronized void seedFailures(JsonNode current) {
    long failed = current.path("runCounts").path("FAILURE").asLong(0);
    if (failed == failedRuns) {
      return;
    }
    failedRuns = failed;
    failures.clear();
    if (failed == 0) {
      return;
    }
    JsonNode page =
        api.get(
            "/api/v1/jobs/"
                + Api.segment(id)
                + "/runs?status=FAILURE&order=desc&size="
                + FAILURES_SHOWN);
    List<Failure> found = new ArrayList<>();
    for (JsonNode run : page.path("items")) {
      String step = null;
      String reason = Json.text(run, "reason");
      for (JsonNode s : run.path("steps")) {
        if ("FAILURE".equals(Json.text(s, "status"))) {
          step = Json.text(s, "id");
          reason = Json.text(s, "reason");
          break;
        }
      }
      found.add(new Failure(run.path("index").asLong(), Json.text(run, "id"), step, reason));
    }
    for (int i = found.size() - 1; i >= 0; i--) {
      remember(found.get(i));
    }
  }

  static boolean terminal(String status) {
    return "SUCCESS".equals(status) || "FAILURE".equals(status) || "ABORTED".equals(status);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Main.SERVER_ERROR, "interrupted");
    }
  }
}

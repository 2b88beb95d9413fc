package io.gridrun.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The gateway's server-sent events ({@code GET /api/v1/events?job=<id>}), read line by line. Keeps
 * the last event id, so that a new connection resumes right after it.
 */
final class EventStream {

  /** One event: its cursor, type ({@code job.status}, {@code run.status}, …) and JSON data. */
  record Event(String id, String type, String data) {}

  private final Api api;
  private final String job;
  private volatile String lastEventId;
  private volatile InputStream open;

  EventStream(Api api, String job) {
    this.api = api;
    this.job = job;
  }

  /**
   * Connects and hands every event to {@code handler} until it answers false (returns true) or the
   * stream ends (returns false). {@code onOpen} runs once the server answered.
   */
  boolean read(Runnable onOpen, Predicate<Event> handler) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Accept", "text/event-stream");
    if (lastEventId != null) {
      headers.put("Last-Event-ID", lastEventId);
    }
    InputStream stream = api.stream("/api/v1/events?job=" + Api.encode(job), headers);
    open = stream;
    onOpen.run();
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      String id = null;
      String type = null;
      StringBuilder data = new StringBuilder();
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0 || type != null) {
            if (id != null) {
              lastEventId = id;
            }
            if (!handler.test(new Event(id, type == null ? "message" : type, data.toString()))) {
              return true;
            }
          }
          id = null;
          type = null;
          data.setLength(0);
        } else if (line.startsWith(":")) {
          continue;
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "id" -> id = value;
            case "event" -> type = value;
            case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
            default -> {}
          }
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    } finally {
      open = null;
    }
  }

  /** Ends a {@link #read} in progress from another thread. */
  void close() {
    InputStream stream = open;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // closing is best effort; the reader ends on its own then
      }
    }
  }
}

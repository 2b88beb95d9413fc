package io.gridrun.local;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A client following {@code /api/v1/events} on a thread of its own, keeping every event it receives
 * until its connection ends (the gateway killed, say); it does not reconnect by itself.
 */
final class SseFollower implements AutoCloseable {

  /** One server-sent event: its id, type and data. */
  record Event(String id, String type, String data) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final java.util.concurrent.CountDownLatch connected =
      new java.util.concurrent.CountDownLatch(1);
  private final Thread thread;
  private volatile boolean ended;

  private SseFollower(URI url, String token, String lastEventId) {
    thread =
        new Thread(
            () -> {
              try {
                HttpRequest.Builder request =
                    HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token);
                if (lastEventId != null) {
                  request.header("Last-Event-ID", lastEventId);
                }
                HttpResponse<java.io.InputStream> response =
                    HttpClient.newHttpClient()
                        .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                  String id = null;
                  String type = null;
                  StringBuilder data = new StringBuilder();
                  for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.isEmpty()) {
                      if (type != null || data.length() > 0) {
                        events.add(new Event(id, type, data.toString()));
                      }
                      id = null;
                      type = null;
                      data.setLength(0);
                    } else if (line.startsWith(":") && line.contains("connected")) {
                      connected.countDown(); // the gateway holds the stream's place in the topic
                    } else if (line.startsWith("id:")) {
                      id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                      type = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                      data.append(line.substring(5).strip());
                    }
                  }
                }
              } catch (Exception connectionEnded) {
                // the gateway went away, or close() interrupted the read
              } finally {
                ended = true;
              }
            },
            "sse-follower");
    thread.setDaemon(true);
    thread.start();
  }

  /** Follows {@code path} (e.g. {@code /api/v1/events?job=…}) from {@code lastEventId} or now. */
  static SseFollower follow(URI gateway, String token, String path, String lastEventId) {
    return new SseFollower(URI.create(gateway + path), token, lastEventId);
  }

  /**
   * Waits for the gateway's {@code : connected} comment: from then on every event published is
   * delivered. Until then the request may not even have reached the gateway (CI's whole-stack kill
   * missed the first run's SUCCESS of a job submitted right after {@link #follow}).
   */
  SseFollower awaitConnected(java.time.Duration timeout) throws InterruptedException {
    if (!connected.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the event stream did not say it is connected within " + timeout);
    }
    return this;
  }

  List<Event> events() {
    return List.copyOf(events);
  }

  /** The id of the last event received, or null. */
  String lastId() {
    List<Event> all = events();
    return all.isEmpty() ? null : all.get(all.size() - 1).id();
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    thread.interrupt();
  }
}

package io.gridrun.local;

import io.gridrun.common.event.EventCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client of gridrun's public API, for the demo and the end-to-end tests. */
public final class GridrunClient {

  /** An answer: status code, body text, and the body as JSON when it is an object. */
  public record Answer(int status, String body, Map<String, Object> json) {}

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;
  private final String token;

  /** A client that sends no token: only {@code /actuator/health} and {@code /login} answer it. */
  public GridrunClient(URI base) {
    this(base, null);
  }

  /** A client that sends {@code Authorization: Bearer <token>}. */
  public GridrunClient(URI base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A client with the token of the stack whose state is in {@code home} ({@code home/token}). */
  public static GridrunClient forHome(URI base, java.nio.file.Path home) throws IOException {
    return new GridrunClient(base, TokenFile.read(home));
  }

  public Answer get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  public Answer post(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer put(String path, String json) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)));
  }

  public Answer put(String path, byte[] body, String contentType)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(base.resolve(path))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Answer delete(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
  }

  @SuppressWarnings("unchecked")
  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    Map<String, Object> json = null;
    String body = response.body();
    if (body != null && body.startsWith("{")) {
      json = EventCodec.mapper().readValue(body, Map.class);
    }
    return new Answer(response.statusCode(), body, json);
  }
}

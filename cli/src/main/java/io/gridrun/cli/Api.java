package io.gridrun.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;

/**
 * gridrun's HTTP API through the JDK's client. Every answer that is not 2xx becomes a {@link
 * CliException}: exit code 3 with the problem detail's title and detail for 4xx, 4 for 5xx and for
 * a server that cannot be reached (named).
 */
final class Api {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final URI server;
  private final String token;
  private final HttpClient http;

  Api(URI server, String token) {
    this.server = server;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
  }

  URI server() {
    return server;
  }

  JsonNode get(String path) {
    return Json.parse(send(request(path).GET(), HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The raw body of a GET, for text answers (CSV) or printing the API's own JSON. */
  String getText(String path) {
    return send(request(path).GET(), HttpResponse.BodyHandlers.ofString()).body();
  }

  String postJson(String path, String json) {
    return send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  String putJson(String path, String json) {
    return send(
            request(path)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  String putBytes(String path, byte[] body, String contentType) {
    return send(
            request(path)
                .header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  String delete(String path) {
    return send(request(path).DELETE(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A GET whose body is read as it arrives (followed logs); no overall timeout. */
  InputStream stream(String path, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).GET();
    authorize(request);
    headers.forEach(request::setHeader);
    HttpResponse<InputStream> response =
        exchange(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 != 2) {
      String body;
      try (InputStream in = response.body()) {
        body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        body = "";
      }
      throw failure(response.statusCode(), body);
    }
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.resolve(path)).timeout(TIMEOUT);
    authorize(request);
    return request;
  }

  private void authorize(HttpRequest.Builder request) {
    request.header("Accept", "application/json, application/problem+json, text/plain, */*");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    HttpResponse<T> response = exchange(request, body);
    if (response.statusCode() / 100 != 2) {
      throw failure(response.statusCode(), String.valueOf(response.body()));
    }
    return response;
  }

  private <T> HttpResponse<T> exchange(
      HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
    try {
      return http.send(request.build(), body);
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw unreachable(e);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(Main.SERVER_ERROR, "interrupted");
    }
  }

  CliException unreachable(Exception e) {
    String why = e.getMessage();
    if (e instanceof ConnectException && (why == null || why.isBlank())) {
      why = "connection refused";
    } else if (why == null || why.isBlank()) {
      why = e.getClass().getSimpleName();
    }
    return new CliException(
        Main.SERVER_ERROR,
        "cannot reach the gridrun server at "
            + server
            + " ("
            + why.lines().findFirst().orElse("")
            + ")");
  }

  /** One line from a problem detail: its title and detail; the status alone without one. */
  static CliException failure(int status, String body) {
    int code = status >= 400 && status < 500 ? Main.CLIENT_ERROR : Main.SERVER_ERROR;
    String title = null;
    String detail = null;
    JsonNode problem = Json.tryParse(body);
    if (problem != null && problem.isObject()) {
      title = Json.text(problem, "title");
      detail = Json.text(problem, "detail");
    }
    StringBuilder line = new StringBuilder();
    line.append(title != null ? title : "HTTP " + status);
    if (detail != null && !detail.equals(title)) {
      line.append(": ").append(detail);
    }
    if (title == null && detail == null && body != null && !body.isBlank() && body.length() < 200) {
      line.append(": ").append(body.strip());
    }
    if (title != null) {
      line.append(" (HTTP ").append(status).append(')');
    }
    if (status == 401) {
      line.append(" - give a token: --token, $GRIDRUN_TOKEN or $GRIDRUN_HOME/token");
    }
    return new CliException(code, line.toString().replaceAll("\\s*[\r\n]+\\s*", " "), status);
  }

  /** {@code ?a=1&b=2} of the non-null values, encoded; "" when none. */
  static String query(Map<String, ?> parameters) {
    StringJoiner joined = new StringJoiner("&", "?", "");
    joined.setEmptyValue("");
    parameters.forEach(
        (name, value) -> {
          if (value != null) {
            joined.add(encode(name) + "=" + encode(String.valueOf(value)));
          }
        });
    return joined.toString();
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A path segment: encoded, so that ids and names cannot change the path. */
  static String segment(String value) {
    return encode(value);
  }
}

package io.gridrun.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpRetryException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;

/**
 * gridrun's HTTP API over the JDK's {@link HttpURLConnection}. Every answer that is not 2xx becomes
 * a {@link CliException}: exit code 3 with the problem detail's title and detail for 4xx, 4 for 5xx
 * and for a server that cannot be reached (named).
 *
 * <p>Not {@code java.net.http.HttpClient}: building one initialises TLS (providers, the trust
 * store) even for {@code http://}, which took 0.4–1.5 s of a command's start on 2 busy cores;
 * {@code HttpURLConnection} loads TLS only for an {@code https://} server.
 */
final class Api {

  private static final int CONNECT_TIMEOUT_MS = 5_000;
  private static final int READ_TIMEOUT_MS = 60_000;

  private final URI server;
  private final String token;

  Api(URI server, String token) {
    this.server = server;
    this.token = token;
  }

  URI server() {
    return server;
  }

  JsonNode get(String path) {
    return Json.parse(getText(path));
  }

  /** The raw body of a GET, for text answers (CSV) or printing the API's own JSON. */
  String getText(String path) {
    return send("GET", path, null, null);
  }

  String postJson(String path, String json) {
    return send("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  String putJson(String path, String json) {
    return send("PUT", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  String putBytes(String path, byte[] body, String contentType) {
    return send("PUT", path, contentType, body);
  }

  String delete(String path) {
    return send("DELETE", path, null, null);
  }

  /** A GET whose body is read as it arrives (followed logs, events); no read timeout. */
  InputStream stream(String path, Map<String, String> headers) {
    try {
      HttpURLConnection connection = open("GET", path, 0);
      headers.forEach(connection::setRequestProperty);
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        throw failure(status, errorBody(connection));
      }
      return connection.getInputStream();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  private String send(String method, String path, String contentType, byte[] body) {
    try {
      HttpURLConnection connection = open(method, path, READ_TIMEOUT_MS);
      if (body != null) {
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", contentType);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = status(connection);
      if (status / 100 != 2) {
        throw failure(status, errorBody(connection));
      }
      try (InputStream in = connection.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  /**
   * The answer's status. A streamed body refused with 401 surfaces as {@link HttpRetryException}
   * (the JDK cannot resend it), whose status is kept; the problem detail is lost with it.
   */
  private static int status(HttpURLConnection connection) throws IOException {
    try {
      return connection.getResponseCode();
    } catch (HttpRetryException e) {
      throw failure(e.responseCode(), "");
    }
  }

  private HttpURLConnection open(String method, String path, int readTimeoutMs) throws IOException {
    HttpURLConnection connection =
        (HttpURLConnection) server.resolve(path).toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
    connection.setReadTimeout(readTimeoutMs);
    connection.setInstanceFollowRedirects(false);
    connection.setRequestProperty(
        "Accept", "application/json, application/problem+json, text/plain, */*");
    if (token != null) {
      connection.setRequestProperty("Authorization", "Bearer " + token);
    }
    return connection;
  }

  private static String errorBody(HttpURLConnection connection) {
    try (InputStream in = connection.getErrorStream()) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  CliException unreachable(Exception e) {
    String why = e.getMessage();
    if (e instanceof java.net.UnknownHostException) {
      why = "unknown host " + why;
    } else if (e instanceof ConnectException && (why == null || why.isBlank())) {
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

package io.gridrun.gateway.ui;

import java.util.Map;
import java.util.Optional;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The UI's only way to data: the gateway's own public API ({@code /api/v1}) over HTTP on {@code
 * 127.0.0.1}, so every page shows what the API says. The caller's credentials travel with each
 * call: the incoming request's {@code Authorization} header if there is one, else {@code Bearer} +
 * the token kept in the web session attribute {@value #TOKEN_ATTRIBUTE}.
 */
@Component
public class UiApi {

  /** The web session attribute that holds the signed-in user's raw token. */
  public static final String TOKEN_ATTRIBUTE = "gridrun.token";

  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final WebClient client;
  private final Environment environment;

  public UiApi(Environment environment) {
    this.client =
        WebClient.builder()
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_BODY_BYTES))
            .build();
    this.environment = environment;
  }

  /** {@code GET /api/v1<path>}, the body read as {@code type}. */
  public <T> Mono<T> get(ServerWebExchange exchange, String path, Class<T> type) {
    return exchangeGet(
        exchange, path, MediaType.APPLICATION_JSON, response -> read(response, type));
  }

  /** {@code GET /api/v1<path>} as a generic JSON object. */
  public Mono<Map<String, Object>> getMap(ServerWebExchange exchange, String path) {
    return get(exchange, path, JSON_OBJECT);
  }

  private <T> Mono<T> get(
      ServerWebExchange exchange, String path, ParameterizedTypeReference<T> type) {
    return request(exchange, HttpMethod.GET, path)
        .flatMap(
            spec ->
                spec.accept(MediaType.APPLICATION_JSON)
                    .exchangeToMono(
                        response ->
                            response.statusCode().isError()
                                ? problem(response)
                                : response.bodyToMono(type)));
  }

  /** {@code POST /api/v1<path>} with a JSON body (null: none); the answer as a JSON object. */
  public Mono<Map<String, Object>> post(ServerWebExchange exchange, String path, Object body) {
    return send(exchange, "POST", path, body);
  }

  /** {@code DELETE /api/v1<path>}. */
  public Mono<Map<String, Object>> delete(ServerWebExchange exchange, String path) {
    return send(exchange, "DELETE", path, null);
  }

  private Mono<Map<String, Object>> send(
      ServerWebExchange exchange, String method, String path, Object body) {
    return request(exchange, HttpMethod.valueOf(method), path)
        .flatMap(
            spec -> {
              spec.accept(MediaType.APPLICATION_JSON);
              WebClient.RequestHeadersSpec<?> ready =
                  body == null
                      ? spec
                      : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
              return ready.exchangeToMono(UiApi::jsonObject);
            });
  }

  /** A request to {@code /api/v1<path>} that carries the caller's credentials. */
  private Mono<WebClient.RequestBodySpec> request(
      ServerWebExchange exchange, HttpMethod method, String path) {
    return authorization(exchange)
        .map(
            auth ->
                client
                    .method(method)
                    .uri(java.net.URI.create(base() + path))
                    .headers(h -> auth.ifPresent(c -> c.setOnto(h))));
  }

  /** The answer as a JSON object (an empty one for no body), or the API's problem as an error. */
  private static Mono<Map<String, Object>> jsonObject(ClientResponse response) {
    return response.statusCode().isError()
        ? problem(response)
        : response.bodyToMono(JSON_OBJECT).defaultIfEmpty(Map.of());
  }

  private static <T> Mono<T> read(ClientResponse response, Class<T> type) {
    return response.statusCode().isError() ? problem(response) : response.bodyToMono(type);
  }

  private static <T> Mono<T> problem(ClientResponse response) {
    HttpStatusCode status = response.statusCode();
    return response
        .bodyToMono(UiProblem.class)
        .onErrorResume(e -> Mono.empty())
        .defaultIfEmpty(UiProblem.of(status.value()))
        .flatMap(problem -> Mono.error(new UiApiException(status.value(), problem)));
  }

  Mono<Optional<Credential>> authorization(ServerWebExchange exchange) {
    String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
    if (header != null && !header.isBlank()) {
      return Mono.just(Optional.of(new Credential(header)));
    }
    return exchange
        .getSession()
        .map(
            session -> {
              Object token = session.getAttribute(TOKEN_ATTRIBUTE);
              return token instanceof String t && !t.isBlank()
                  ? Optional.of(new Credential("Bearer " + t))
                  : Optional.<Credential>empty();
            });
  }

  private String base() {
    String port =
        environment.getProperty("local.server.port", environment.getProperty("server.port"));
    return "http://127.0.0.1:" + port + "/api/v1";
  }

  private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
      new ParameterizedTypeReference<>() {};

  // --- added for the Run, Environments and Projects pages (helper uib) ---

  /** {@code PUT /api/v1<path>} with a JSON body; the answer as a JSON object. */
  public Mono<Map<String, Object>> put(ServerWebExchange exchange, String path, Object body) {
    return send(exchange, "PUT", path, body);
  }

  /** {@code PUT /api/v1<path>} streaming {@code body} as {@code type} (a project archive). */
  public Mono<Map<String, Object>> putStream(
      ServerWebExchange exchange,
      String path,
      reactor.core.publisher.Flux<org.springframework.core.io.buffer.DataBuffer> body,
      MediaType type) {
    return request(exchange, HttpMethod.PUT, path)
        .flatMap(
            spec ->
                spec.accept(MediaType.APPLICATION_JSON)
                    .contentType(type)
                    .body(
                        org.springframework.web.reactive.function.BodyInserters.fromDataBuffers(
                            body))
                    .exchangeToMono(UiApi::jsonObject));
  }

  /**
   * {@code GET /api/v1<path>} as text (a log, a file), at most {@code maxBytes} of it; the rest is
   * not read. {@code path} must already be encoded.
   */
  public Mono<UiText> text(ServerWebExchange exchange, String path, int maxBytes) {
    return exchangeGet(
        exchange,
        path,
        null,
        response ->
            response.statusCode().isError()
                ? problem(response)
                : UiText.read(
                    response.bodyToFlux(org.springframework.core.io.buffer.DataBuffer.class),
                    maxBytes));
  }

  /** The status the API answers {@code GET /api/v1<path>} with (the body is not read). */
  public Mono<Integer> status(ServerWebExchange exchange, String path) {
    return exchangeGet(
            exchange,
            path,
            null,
            response -> response.releaseBody().thenReturn(response.statusCode().value()))
        .onErrorReturn(503);
  }

  /** {@code GET /api/v1<path>} with the caller's credentials, the answer read by {@code reader}. */
  private <T> Mono<T> exchangeGet(
      ServerWebExchange exchange,
      String path,
      MediaType accept,
      java.util.function.Function<
              org.springframework.web.reactive.function.client.ClientResponse, Mono<T>>
          reader) {
    return request(exchange, HttpMethod.GET, path)
        .flatMap(spec -> (accept == null ? spec : spec.accept(accept)).exchangeToMono(reader));
  }

  /** The value of an {@code Authorization} header. */
  record Credential(String value) {
    void setOnto(HttpHeaders headers) {
      headers.set(HttpHeaders.AUTHORIZATION, value);
    }
  }
}

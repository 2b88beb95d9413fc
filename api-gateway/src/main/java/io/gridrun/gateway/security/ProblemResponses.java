package io.gridrun.gateway.security;

import io.gridrun.common.event.EventCodec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * RFC 9457 problem details written by the filters that answer before any controller does
 * (authentication, scopes, CSRF, Origin, content type), in the shape the platform's handler gives.
 */
final class ProblemResponses {

  private ProblemResponses() {}

  static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String title, String detail) {
    return write(exchange, status, title, detail, Map.of());
  }

  static Mono<Void> write(
      ServerWebExchange exchange,
      HttpStatus status,
      String title,
      String detail,
      Map<String, Object> properties) {
    ServerHttpResponse response = exchange.getResponse();
    if (response.isCommitted()) {
      return Mono.empty();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "https://gridrun.io/problems/" + slug(title));
    body.put("title", title);
    body.put("status", status.value());
    body.put("detail", detail);
    body.put("instance", exchange.getRequest().getPath().value());
    body.putAll(properties);
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    DataBuffer buffer = response.bufferFactory().wrap(EventCodec.mapper().writeValueAsBytes(body));
    return response.writeWith(Mono.just(buffer));
  }

  private static String slug(String title) {
    return title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }
}

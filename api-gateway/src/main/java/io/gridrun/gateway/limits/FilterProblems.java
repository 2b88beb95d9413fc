package io.gridrun.gateway.limits;

import io.gridrun.common.event.EventCodec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** A problem detail written by a filter that answers before (or instead of) a controller. */
public final class FilterProblems {

  private FilterProblems() {}

  public static Mono<Void> write(
      ServerWebExchange exchange, HttpStatus status, String title, String detail) {
    ServerHttpResponse response = exchange.getResponse();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put(
        "type",
        "https://gridrun.io/problems/"
            + title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
    body.put("title", title);
    body.put("status", status.value());
    body.put("detail", detail);
    body.put("instance", exchange.getRequest().getPath().value());
    response.setStatusCode(status);
    response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return response.writeWith(
        Mono.just(response.bufferFactory().wrap(EventCodec.mapper().writeValueAsBytes(body))));
  }
}

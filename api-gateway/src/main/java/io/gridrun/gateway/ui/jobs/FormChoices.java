package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/** The choices of the New job form's selects, from the API: projects, pipelines, time zones. */
@Component
class FormChoices {

  /** IANA time zones, UTC first. */
  static final List<String> ZONES =
      java.util.stream.Stream.concat(
              java.util.stream.Stream.of("UTC"),
              ZoneId.getAvailableZoneIds().stream()
                  .filter(
                      z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/"))
                  .sorted())
          .toList();

  private final UiApi api;

  FormChoices(UiApi api) {
    this.api = api;
  }

  Mono<List<String>> projects(ServerWebExchange exchange) {
    return api.getMap(exchange, "/projects?size=500").map(page -> names(page, "name"));
  }

  Mono<List<String>> pipelines(ServerWebExchange exchange, String project) {
    return api.getMap(
            exchange,
            "/projects/" + UriUtils.encodePathSegment(project, "UTF-8") + "/pipelines?size=500")
        .map(page -> names(page, "path"))
        .onErrorResume(e -> Mono.just(List.of()));
  }

  @SuppressWarnings("unchecked")
  private static List<String> names(Map<String, Object> page, String key) {
    Object items = page.get("items");
    if (!(items instanceof List<?> list)) {
      return List.of();
    }
    return list.stream().map(i -> String.valueOf(((Map<String, Object>) i).get(key))).toList();
  }
}

package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/** The New job form's "next firings", as the user types a schedule ({@code /jobs/new/firings}). */
@Controller
class FiringsController {

  private static final DateTimeFormatter SHOWN =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm xxx", java.util.Locale.ROOT);

  private final UiApi api;

  FiringsController(UiApi api) {
    this.api = api;
  }

  @GetMapping("/jobs/new/firings")
  Mono<Rendering> firings(
      @RequestParam(defaultValue = "now") String schedule,
      @RequestParam(defaultValue = "") String at,
      @RequestParam(defaultValue = "") String cron,
      @RequestParam(defaultValue = "UTC") String timezone,
      ServerWebExchange exchange) {
    return view(schedule, at, cron, timezone, exchange)
        .map(f -> Rendering.view("new-job :: firings").modelAttribute("firings", f).build());
  }

  private Mono<FiringsView> view(
      String schedule, String at, String cron, String timezone, ServerWebExchange exchange) {
    switch (schedule) {
      case "at" -> {
        try {
          var when = LocalDateTime.parse(at).atZone(ZoneId.of(timezone));
          return Mono.just(
              new FiringsView(
                  List.of(
                      SHOWN.format(when)
                          + " ("
                          + when.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime()
                          + " UTC)"),
                  null,
                  null));
        } catch (DateTimeException e) {
          return Mono.just(FiringsView.note("Choose a date and time."));
        }
      }
      case "cron" -> {
        if (cron.isBlank()) {
          return Mono.just(FiringsView.note("Type a cron expression, e.g. 0 3 * * MON-FRI."));
        }
        String path =
            UriComponentsBuilder.fromPath("/schedules/next")
                .queryParam("cron", cron)
                .queryParam("timezone", timezone)
                .queryParam("count", 5)
                .encode()
                .build()
                .toUriString();
        return api.getMap(exchange, path)
            .map(
                answer -> {
                  Object list = answer.get("firings");
                  List<String> firings =
                      list instanceof List<?> l
                          ? l.stream()
                              .map(String::valueOf)
                              .map(t -> SHOWN.format(java.time.OffsetDateTime.parse(t)))
                              .toList()
                          : List.of();
                  return new FiringsView(
                      firings, firings.isEmpty() ? "It never fires." : null, null);
                })
            .onErrorResume(
                UiApiException.class,
                e ->
                    Mono.just(
                        FiringsView.problem(
                            e.problem().detail() != null
                                ? e.problem().detail()
                                : e.problem().title())));
      }
      default -> {
        return Mono.just(FiringsView.note("The runs start as soon as the job is created."));
      }
    }
  }
}

package io.gridrun.gateway.ui.environments;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import io.gridrun.gateway.ui.UiProblem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The Environments page ({@code /environments}): the registered environments (names of their
 * variables only, never values) and a form that registers or replaces one through {@code PUT
 * /api/v1/environments/{name}}; the API's problem detail shows beside the form.
 */
@Controller
class EnvironmentsPageController {

  private final UiApi api;

  EnvironmentsPageController(UiApi api) {
    this.api = api;
  }

  @GetMapping("/environments")
  Mono<Rendering> environments(
      @RequestParam(defaultValue = "") String edit,
      @RequestParam(defaultValue = "") String saved,
      ServerWebExchange exchange) {
    return list(exchange)
        .map(
            all -> {
              EnvironmentForm form =
                  all.stream()
                      .filter(e -> e.name().equals(edit))
                      .findFirst()
                      .map(e -> new EnvironmentForm(e.name(), e.image(), "", e.networkDefault()))
                      .orElse(EnvironmentForm.empty());
              return page(all, form, null, saved, HttpStatus.OK);
            });
  }

  @PostMapping("/environments")
  Mono<Rendering> save(ServerWebExchange exchange) {
    return exchange
        .getFormData()
        .flatMap(
            data -> {
              EnvironmentForm form =
                  new EnvironmentForm(
                      data.getFirst("name"),
                      data.getFirst("image"),
                      data.getFirst("env"),
                      "true".equals(data.getFirst("network")));
              EnvironmentForm.Parsed parsed = form.parse();
              if (form.name().isEmpty() || !parsed.errors().isEmpty()) {
                List<String> errors =
                    form.name().isEmpty()
                        ? java.util.stream.Stream.concat(
                                java.util.stream.Stream.of("Name is required"),
                                parsed.errors().stream())
                            .toList()
                        : parsed.errors();
                UiProblem problem =
                    new UiProblem("Invalid environment", 400, String.join("; ", errors), errors);
                return list(exchange)
                    .map(all -> page(all, form, problem, "", HttpStatus.BAD_REQUEST));
              }
              return api.put(
                      exchange, "/environments/" + encode(form.name()), form.body(parsed.vars()))
                  .map(
                      saved ->
                          Rendering.redirectTo("/environments?saved=" + encode(form.name()))
                              .build())
                  .onErrorResume(
                      UiApiException.class,
                      e ->
                          list(exchange)
                              .map(
                                  all ->
                                      page(
                                          all,
                                          form,
                                          e.problem(),
                                          "",
                                          HttpStatus.valueOf(e.status()))));
            });
  }

  private Mono<List<ApiEnvironment>> list(ServerWebExchange exchange) {
    return api.get(exchange, "/environments?page=0&size=500", EnvironmentPage.class)
        .map(page -> page.items().stream().map(ApiEnvironment::withoutValues).toList());
  }

  private static Rendering page(
      List<ApiEnvironment> environments,
      EnvironmentForm form,
      UiProblem problem,
      String saved,
      HttpStatus status) {
    return Rendering.view("environments/environments")
        .status(status)
        .modelAttribute("environments", environments)
        .modelAttribute("form", form)
        .modelAttribute("problem", problem)
        .modelAttribute("saved", saved)
        .build();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** The API's page of environments. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  record EnvironmentPage(List<ApiEnvironment> items, long total) {
    EnvironmentPage {
      items = items == null ? List.of() : items;
    }
  }
}

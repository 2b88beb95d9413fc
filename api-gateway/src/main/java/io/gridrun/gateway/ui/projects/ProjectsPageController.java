package io.gridrun.gateway.ui.projects;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import io.gridrun.gateway.ui.UiProblem;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.Part;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Projects page ({@code /projects}): the projects with their pipeline files, and the "Upload
 * project" form, whose {@code .tar.gz} the controller streams to {@code PUT
 * /api/v1/projects/{name}} as it arrives.
 */
@Controller
class ProjectsPageController {

  private static final int MAX_PROJECTS = 500;

  private final UiApi api;

  ProjectsPageController(UiApi api) {
    this.api = api;
  }

  @GetMapping("/projects")
  Mono<Rendering> projects(
      @RequestParam(defaultValue = "") String uploaded, ServerWebExchange exchange) {
    return list(exchange).map(all -> page(all, "", null, uploaded, HttpStatus.OK));
  }

  @PostMapping(path = "/projects", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  Mono<Rendering> upload(ServerWebExchange exchange) {
    boolean htmx = exchange.getRequest().getHeaders().containsHeader("HX-Request");
    return exchange
        .getMultipartData()
        .flatMap(
            parts -> {
              String name = field(parts, "name");
              Part archive = parts.getFirst("archive");
              List<String> errors = new java.util.ArrayList<>();
              if (name.isEmpty()) {
                errors.add("Project name is required");
              }
              if (!(archive instanceof FilePart file) || file.filename().isBlank()) {
                errors.add("choose a .tar.gz file of the project");
              }
              if (!errors.isEmpty()) {
                UiProblem problem =
                    new UiProblem("Invalid upload", 400, String.join("; ", errors), errors);
                return failed(exchange, name, problem, HttpStatus.BAD_REQUEST, htmx);
              }
              Flux<org.springframework.core.io.buffer.DataBuffer> body =
                  ((FilePart) archive).content();
              return api.putStream(
                      exchange,
                      "/projects/" + encode(name),
                      body,
                      MediaType.parseMediaType("application/gzip"))
                  .map(answer -> done(exchange, name, htmx))
                  .onErrorResume(
                      UiApiException.class,
                      e ->
                          failed(
                              exchange, name, e.problem(), HttpStatus.valueOf(e.status()), htmx));
            });
  }

  /** Where the browser goes after an upload: htmx follows {@code HX-Redirect}, a form the 303. */
  private static Rendering done(ServerWebExchange exchange, String name, boolean htmx) {
    String to = "/projects?uploaded=" + encode(name);
    if (htmx) {
      exchange.getResponse().getHeaders().set("HX-Redirect", to);
      return Rendering.view("projects/projects")
          .modelAttribute("projects", List.of())
          .modelAttribute("name", name)
          .modelAttribute("problem", null)
          .modelAttribute("uploaded", name)
          .build();
    }
    return Rendering.redirectTo(to).build();
  }

  /** The page with the problem beside the form; htmx swaps only 2xx answers, so it gets 200. */
  private Mono<Rendering> failed(
      ServerWebExchange exchange, String name, UiProblem problem, HttpStatus status, boolean htmx) {
    return list(exchange).map(all -> page(all, name, problem, "", htmx ? HttpStatus.OK : status));
  }

  private Mono<List<ProjectRow>> list(ServerWebExchange exchange) {
    return api.getMap(exchange, "/projects?page=0&size=" + MAX_PROJECTS)
        .flatMapMany(page -> Flux.fromIterable(items(page)))
        .map(item -> String.valueOf(item.get("name")))
        .concatMap(
            project ->
                api.getMap(
                        exchange,
                        "/projects/" + encode(project) + "/pipelines?page=0&size=" + MAX_PROJECTS)
                    .map(
                        page ->
                            items(page).stream().map(p -> String.valueOf(p.get("path"))).toList())
                    .onErrorResume(UiApiException.class, e -> Mono.just(List.of()))
                    .map(pipelines -> new ProjectRow(project, pipelines)))
        .collectList();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return page.get("items") instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
  }

  private static Rendering page(
      List<ProjectRow> projects,
      String name,
      UiProblem problem,
      String uploaded,
      HttpStatus status) {
    return Rendering.view("projects/projects")
        .status(status)
        .modelAttribute("projects", projects)
        .modelAttribute("name", name)
        .modelAttribute("problem", problem)
        .modelAttribute("uploaded", uploaded)
        .build();
  }

  private static String field(MultiValueMap<String, Part> parts, String name) {
    return parts.getFirst(name) instanceof FormFieldPart field ? field.value().strip() : "";
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

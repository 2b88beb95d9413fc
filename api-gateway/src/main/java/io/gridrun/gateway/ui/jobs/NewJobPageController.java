package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import io.gridrun.gateway.ui.UiProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The New job page ({@code /jobs/new}). The form's state travels in its fields: changing the
 * project or pipeline re-renders the page from them (parameters pre-loaded from the API's preview),
 * editing values or ticking rows re-renders only the Pipeline runs table, and "Run job" sends the
 * job to the API, then goes to its page, or shows the API's problem beside the form as typed.
 */
@Controller
class NewJobPageController {

  private final UiApi api;
  private final GridPreview preview;
  private final FormChoices choices;

  NewJobPageController(UiApi api, GridPreview preview, FormChoices choices) {
    this.api = api;
    this.preview = preview;
    this.choices = choices;
  }

  @GetMapping("/jobs/new")
  Mono<Rendering> form(ServerWebExchange exchange) {
    JobForm form = JobForm.read(exchange.getRequest().getQueryParams());
    return page(exchange, form, null, HttpStatus.OK);
  }

  /** The Pipeline runs table for the form as it is now (and each values field's message). */
  @PostMapping("/jobs/new/runs")
  Mono<Rendering> runs(ServerWebExchange exchange) {
    return exchange
        .getFormData()
        .map(JobForm::read)
        .map(JobForm::checked)
        .flatMap(
            form ->
                preview
                    .runs(exchange, form)
                    .map(
                        runs ->
                            Rendering.view("new-job-runs :: update")
                                .modelAttribute("form", form)
                                .modelAttribute("runs", runs)
                                .build()));
  }

  /** "Run job". */
  @PostMapping("/jobs/new")
  Mono<Rendering> submit(ServerWebExchange exchange) {
    return exchange.getFormData().flatMap(data -> submit(exchange, data));
  }

  private Mono<Rendering> submit(ServerWebExchange exchange, MultiValueMap<String, String> data) {
    JobForm form = JobForm.read(data).checked();
    if (!form.parametersLoaded()) {
      return page(
          exchange,
          form,
          UiProblem.local(
              "Choose a project and a pipeline", "Job name, Project and Pipeline are needed."),
          HttpStatus.BAD_REQUEST);
    }
    if (form.hasFieldErrors()) {
      return page(
          exchange,
          form,
          UiProblem.local(
              "Some values are not JSON", "Fix the values marked below; nothing was sent."),
          HttpStatus.BAD_REQUEST);
    }
    return preview
        .runs(exchange, form)
        .flatMap(
            runs -> {
              List<String> problems = new ArrayList<>();
              Map<String, Object> request = form.request(runs.gridSize(), problems);
              if (!problems.isEmpty()) {
                return page(
                    exchange,
                    form,
                    new UiProblem("Not sent", 400, String.join(" ", problems), problems),
                    HttpStatus.BAD_REQUEST);
              }
              return api.post(exchange, "/jobs", request)
                  .map(created -> Rendering.redirectTo("/jobs/" + created.get("id")).build())
                  .onErrorResume(
                      UiApiException.class,
                      e -> page(exchange, form, e.problem(), HttpStatus.valueOf(e.status())));
            });
  }

  private Mono<Rendering> page(
      ServerWebExchange exchange, JobForm asTyped, UiProblem problem, HttpStatus status) {
    Mono<List<String>> projects = choices.projects(exchange);
    Mono<List<String>> pipelines =
        asTyped.project().isEmpty()
            ? Mono.just(List.of())
            : choices.pipelines(exchange, asTyped.project());
    return Mono.zip(projects, pipelines)
        .flatMap(
            lists -> {
              // a pipeline of another project (the project changed) is no choice
              JobForm typed =
                  lists.getT2().contains(asTyped.pipeline()) ? asTyped : asTyped.withPipeline("");
              Mono<JobForm> loaded =
                  typed.pipeline().isEmpty() || typed.parametersLoaded()
                      ? Mono.just(typed)
                      : preview.defaults(exchange, typed).map(typed::withParameters);
              return loaded
                  .flatMap(
                      form ->
                          (form.parametersLoaded()
                                  ? preview.runs(exchange, form)
                                  : Mono.just(RunsView.unavailable(null)))
                              .map(
                                  runs ->
                                      render(
                                          form,
                                          runs,
                                          lists.getT1(),
                                          lists.getT2(),
                                          problem,
                                          status)))
                  .onErrorResume(
                      UiApiException.class,
                      e ->
                          Mono.just(
                              render(
                                  typed,
                                  RunsView.unavailable(null),
                                  lists.getT1(),
                                  lists.getT2(),
                                  e.problem(),
                                  HttpStatus.OK)));
            });
  }

  private Rendering render(
      JobForm form,
      RunsView runs,
      List<String> projects,
      List<String> pipelines,
      UiProblem problem,
      HttpStatus status) {
    return Rendering.view("new-job")
        .status(status)
        .modelAttribute("form", form)
        .modelAttribute("runs", runs)
        .modelAttribute("projects", projects)
        .modelAttribute("pipelines", pipelines)
        .modelAttribute("problem", problem)
        .modelAttribute("zones", FormChoices.ZONES)
        .build();
  }
}

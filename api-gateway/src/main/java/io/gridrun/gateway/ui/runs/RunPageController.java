package io.gridrun.gateway.ui.runs;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import io.gridrun.gateway.ui.UiFormat;
import io.gridrun.gateway.ui.UiProblem;
import io.gridrun.gateway.ui.UiText;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The Run page ({@code /runs/{runId}}): the run's parameters, status and times, its pipeline as a
 * DAG, and the panel of the step chosen in the URL ({@code ?step=train}) with its log, which the
 * browser follows live while the step runs.
 */
@Controller
class RunPageController {

  /** The most of a log the page shows; "View log" has all of it. */
  static final int MAX_LOG_BYTES = 1024 * 1024;

  private final UiApi api;

  RunPageController(UiApi api) {
    this.api = api;
  }

  @GetMapping("/runs/{runId}")
  Mono<Rendering> run(
      @PathVariable String runId,
      @RequestParam(defaultValue = "") String step,
      @RequestParam(defaultValue = "false") boolean timestamps,
      ServerWebExchange exchange) {
    return page(exchange, runId, step, timestamps, null, HttpStatus.OK);
  }

  @PostMapping("/runs/{runId}/cancel")
  Mono<Rendering> cancel(@PathVariable String runId, ServerWebExchange exchange) {
    return api.post(exchange, "/runs/" + enc(runId) + "/cancel", null)
        .map(answer -> Rendering.redirectTo("/runs/" + enc(runId)).build())
        .onErrorResume(
            UiApiException.class,
            e -> page(exchange, runId, "", false, e.problem(), HttpStatus.valueOf(e.status())));
  }

  private Mono<Rendering> page(
      ServerWebExchange exchange,
      String runId,
      String selected,
      boolean timestamps,
      UiProblem problem,
      HttpStatus status) {
    return api.get(exchange, "/runs/" + enc(runId), ApiRun.class)
        .flatMap(
            run ->
                job(exchange, run)
                    .flatMap(
                        job ->
                            snapshot(exchange, job)
                                .flatMap(
                                    snapshot ->
                                        panel(exchange, run, snapshot, selected, timestamps)
                                            .map(Optional::of)
                                            .defaultIfEmpty(Optional.empty())
                                            .map(
                                                panel ->
                                                    Rendering.view("runs/run")
                                                        .status(status)
                                                        .modelAttribute("run", run)
                                                        .modelAttribute("job", job)
                                                        .modelAttribute(
                                                            "snapshotId",
                                                            job.snapshotId() == null
                                                                ? ""
                                                                : job.snapshotId())
                                                        .modelAttribute(
                                                            "dag", dag(run, snapshot, selected))
                                                        .modelAttribute(
                                                            "parameters", parameters(run))
                                                        .modelAttribute(
                                                            "started",
                                                            UiFormat.time(run.startedAt()))
                                                        .modelAttribute(
                                                            "finished",
                                                            UiFormat.time(run.finishedAt()))
                                                        .modelAttribute(
                                                            "duration",
                                                            UiFormat.duration(
                                                                run.startedAt(), run.finishedAt()))
                                                        .modelAttribute(
                                                            "terminal",
                                                            ApiRun.terminal(run.status()))
                                                        .modelAttribute("panel", panel.orElse(null))
                                                        .modelAttribute("selected", selected)
                                                        .modelAttribute("timestamps", timestamps)
                                                        .modelAttribute("problem", problem)
                                                        .build()))));
  }

  private Mono<RunJob> job(ServerWebExchange exchange, ApiRun run) {
    return api.get(exchange, "/jobs/" + enc(run.jobId()), RunJob.class)
        .onErrorResume(UiApiException.class, e -> Mono.just(RunJob.unknown(run.jobId())));
  }

  /** The job's snapshot, for the pipeline's {@code dependsOn}; empty definition when unknown. */
  private Mono<ApiSnapshot> snapshot(ServerWebExchange exchange, RunJob job) {
    ApiSnapshot none =
        new ApiSnapshot(null, null, null, null, null, null, null, null, null, null, null, null);
    if (job.snapshotId() == null) {
      return Mono.just(none);
    }
    return api.get(exchange, "/snapshots/" + enc(job.snapshotId()), ApiSnapshot.class)
        .onErrorResume(UiApiException.class, e -> Mono.just(none));
  }

  static Dag dag(ApiRun run, ApiSnapshot snapshot, String selected) {
    Map<String, ApiSnapshot.StepDefinition> definitions = new LinkedHashMap<>();
    if (snapshot.definition() != null) {
      snapshot.definition().steps().forEach(d -> definitions.put(d.id(), d));
    }
    List<Dag.Step> steps =
        run.steps().stream()
            .map(
                s -> {
                  ApiSnapshot.StepDefinition d = definitions.get(s.id());
                  return new Dag.Step(
                      s.id(),
                      d == null ? null : d.title(),
                      s.status(),
                      d == null ? List.of() : d.dependsOn());
                })
            .toList();
    return Dag.layout(steps, selected);
  }

  /** {@code alpha = 0.1}, {@code fit.depth = 3}: the run's parameters by their column names. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parameters(ApiRun run) {
    Map<String, Object> flat = new LinkedHashMap<>();
    if (run.parameters().get("pipeline") instanceof Map<?, ?> pipeline) {
      pipeline.forEach((k, v) -> flat.put(String.valueOf(k), v));
    }
    if (run.parameters().get("steps") instanceof Map<?, ?> steps) {
      steps.forEach(
          (step, values) -> {
            if (values instanceof Map<?, ?> map) {
              map.forEach((k, v) -> flat.put(step + "." + k, v));
            }
          });
    }
    return flat;
  }

  private Mono<StepPanel> panel(
      ServerWebExchange exchange,
      ApiRun run,
      ApiSnapshot snapshot,
      String selected,
      boolean timestamps) {
    Optional<ApiRun.Step> found = selected.isEmpty() ? Optional.empty() : run.step(selected);
    if (found.isEmpty()) {
      return Mono.empty();
    }
    ApiRun.Step step = found.get();
    String title =
        snapshot.definition() == null
            ? null
            : snapshot.definition().steps().stream()
                .filter(d -> d.id().equals(step.id()))
                .map(ApiSnapshot.StepDefinition::title)
                .filter(t -> t != null)
                .findFirst()
                .orElse(null);
    String stepPath = "/runs/" + enc(run.id()) + "/steps/" + enc(step.id());
    boolean follow = !ApiRun.terminal(step.status()) && !timestamps;
    Mono<LogRead> log =
        step.startedAt() == null && !follow
            ? Mono.just(
                new LogRead(
                    null, UiProblem.local("No log", "step '" + step.id() + "' never started")))
            : api.text(
                    exchange,
                    stepPath + "/logs" + (timestamps ? "?timestamps=true" : ""),
                    MAX_LOG_BYTES)
                .map(text -> new LogRead(text, null))
                .onErrorResume(
                    UiApiException.class, e -> Mono.just(new LogRead(null, e.problem())));
    Mono<Boolean> notebook = api.status(exchange, stepPath + "/notebook.html").map(s -> s == 200);
    Mono<List<StepPanel.Artifact>> artifacts =
        api.get(exchange, stepPath + "/artifacts", List.class)
            .map(RunPageController::artifacts)
            .onErrorResume(UiApiException.class, e -> Mono.just(List.of()))
            .defaultIfEmpty(List.of());
    Map<String, Object> metrics = run.metrics().getOrDefault(step.id(), Map.of());
    return Mono.zip(log, notebook, artifacts)
        .map(
            t ->
                new StepPanel(
                    step,
                    title,
                    metrics == null ? Map.of() : metrics,
                    t.getT1().text(),
                    follow ? null : t.getT1().problem(),
                    follow,
                    timestamps,
                    t.getT2(),
                    t.getT3()));
  }

  private record LogRead(UiText text, UiProblem problem) {}

  static String enc(String segment) {
    return URLEncoder.encode(segment == null ? "" : segment, StandardCharsets.UTF_8)
        .replace("+", "%20");
  }

  /** The API's artifact list ({@code [{path, size, sha256, url}]}) as the panel shows it. */
  private static List<StepPanel.Artifact> artifacts(List<?> listed) {
    return listed.stream()
        .filter(Map.class::isInstance)
        .map(Map.class::cast)
        .filter(a -> a.get("path") instanceof String && a.get("url") instanceof String)
        .map(
            a ->
                new StepPanel.Artifact(
                    (String) a.get("path"),
                    a.get("size") instanceof Number n ? n.longValue() : 0L,
                    (String) a.get("url")))
        .toList();
  }
}

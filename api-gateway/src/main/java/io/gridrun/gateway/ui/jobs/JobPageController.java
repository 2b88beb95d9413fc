package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiProblem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Job page ({@code /jobs/{id}}): the job's fields, live progress and buttons; the tab "Runs"
 * (filtered by status and parameter value, paginated by the API) or "Results" (sorted by a column,
 * best runs highlighted, charts). Tab, filters, page and sort are in the URL.
 */
@Controller
class JobPageController {

  static final int RUNS_PAGE_SIZE = 25;
  static final int RESULTS_PAGE_SIZE = 50;

  /** The API's largest page; the charts read this many runs per request. */
  static final int CHART_PAGE = 500;

  /** At most this many runs are charted (the first in the table's order), in 4 requests. */
  static final int CHART_RUNS = 2_000;

  private final UiApi api;

  JobPageController(UiApi api) {
    this.api = api;
  }

  @GetMapping("/jobs/{id}")
  Mono<Rendering> job(
      @PathVariable String id,
      @RequestParam(defaultValue = "runs") String tab,
      @RequestParam(defaultValue = "") String status,
      @RequestParam(defaultValue = "") String param,
      @RequestParam(defaultValue = "") String value,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "") String sort,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(defaultValue = "") String metric,
      @RequestParam(defaultValue = "") String x,
      @RequestParam(defaultValue = "") String color,
      ServerWebExchange exchange) {
    JobPageQuery query =
        new JobPageQuery(
            "results".equals(tab) ? "results" : "runs",
            status,
            param,
            value,
            Math.max(0, page),
            sort,
            "desc".equals(order) ? "desc" : "asc",
            metric,
            x,
            color);
    return render(exchange, id, query, null, HttpStatus.OK);
  }

  Mono<Rendering> render(
      ServerWebExchange exchange,
      String id,
      JobPageQuery query,
      UiProblem problem,
      HttpStatus status) {
    String jobPath = "/jobs/" + UriUtils.encodePathSegment(id, "UTF-8");
    return api.get(exchange, jobPath, ApiJob.class)
        .flatMap(
            job -> {
              Rendering.Builder<?> page =
                  Rendering.view("job")
                      .status(status)
                      .modelAttribute("job", JobView.of(job))
                      .modelAttribute("q", query)
                      .modelAttribute("problem", problem)
                      .modelAttribute("statuses", io.gridrun.gateway.ui.StatusBar.RUN_STATUSES);
              return "results".equals(query.tab())
                  ? results(exchange, jobPath, job, query)
                      .map(r -> page.modelAttribute("results", r).build())
                  : runs(exchange, jobPath, query).map(r -> page.modelAttribute("runs", r).build());
            });
  }

  private Mono<ApiPage<RunRow>> runs(
      ServerWebExchange exchange, String jobPath, JobPageQuery query) {
    UriComponentsBuilder uri =
        UriComponentsBuilder.fromPath(jobPath + "/runs")
            .queryParam("page", query.page())
            .queryParam("size", RUNS_PAGE_SIZE);
    if (!query.status().isBlank()) {
      uri.queryParam("status", query.status());
    }
    if (!query.param().isBlank() && !query.value().isBlank()) {
      uri.queryParam("param." + query.param(), query.value());
    }
    return api.get(exchange, uri.encode().build().toUriString(), RunPage.class)
        .map(
            p ->
                new ApiPage<>(
                    p.items().stream().map(RunRow::of).toList(), p.page(), p.size(), p.total()));
  }

  private Mono<ResultsView> results(
      ServerWebExchange exchange, String jobPath, ApiJob job, JobPageQuery query) {
    Mono<Map<String, Object>> table =
        api.getMap(exchange, resultsPath(jobPath, query, query.page(), RESULTS_PAGE_SIZE));
    // the first chart page with the table, then the others it says exist all at once (up to
    // CHART_RUNS), not one after the other
    Mono<List<Map<String, Object>>> chart =
        api.getMap(exchange, resultsPath(jobPath, query, 0, CHART_PAGE))
            .flatMap(
                first ->
                    Flux.range(1, morePages(first))
                        .flatMapSequential(
                            p -> api.getMap(exchange, resultsPath(jobPath, query, p, CHART_PAGE)))
                        .startWith(first)
                        .concatMapIterable(JobPageController::items)
                        .collectList());
    return Mono.zip(table, chart)
        .map(
            both -> {
              Map<String, Object> t = both.getT1();
              ApiPage<?> page =
                  new ApiPage<>(
                      items(t),
                      ((Number) t.getOrDefault("page", 0)).intValue(),
                      ((Number) t.getOrDefault("size", RESULTS_PAGE_SIZE)).intValue(),
                      ((Number) t.getOrDefault("total", 0)).longValue());
              return ResultsView.of(
                  items(t), both.getT2(), page, job.best(), query.sort(), query.order());
            });
  }

  /** How many chart pages follow the first one: those its total says exist, up to the limit. */
  static int morePages(Map<String, Object> first) {
    if (items(first).size() < CHART_PAGE) {
      return 0;
    }
    long total =
        first.get("total") instanceof Number n ? n.longValue() : (long) CHART_RUNS; // all allowed
    long pages = (Math.min(total, CHART_RUNS) + CHART_PAGE - 1) / CHART_PAGE;
    return (int) Math.max(0, pages - 1);
  }

  private static String resultsPath(String jobPath, JobPageQuery query, int page, int size) {
    UriComponentsBuilder uri =
        UriComponentsBuilder.fromPath(jobPath + "/results")
            .queryParam("page", page)
            .queryParam("size", size)
            .queryParam("order", query.order());
    Optional.of(query.sort()).filter(s -> !s.isBlank()).ifPresent(s -> uri.queryParam("sort", s));
    return uri.encode().build().toUriString();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> page) {
    Object items = page.get("items");
    return items instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  /** The API's page of runs. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  record RunPage(List<ApiRun> items, int page, int size, long total) {
    RunPage {
      items = items == null ? List.of() : items;
    }
  }
}

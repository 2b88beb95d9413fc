package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import io.gridrun.gateway.ui.UiProblem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The New job form's view of a grid, from the API's {@code POST /api/v1/jobs:preview}: a pipeline's
 * parameters with their defaults, and the combinations a grid gives, a page at a time.
 */
@Component
class GridPreview {

  /** Rows of the Pipeline runs table per page: grids up to this size show on one page. */
  static final int PAGE_ROWS = 1000;

  private static final int API_PAGE = 500;

  private final UiApi api;

  GridPreview(UiApi api) {
    this.api = api;
  }

  /** The pipeline's parameters (pipeline first, then per step) with their default values. */
  Mono<List<ParameterField>> defaults(ServerWebExchange exchange, JobForm form) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", form.name().isBlank() ? "preview" : form.name());
    body.put("project", form.project());
    body.put("pipeline", form.pipeline());
    return api.post(exchange, "/jobs:preview?size=1", body)
        .map(
            answer -> {
              List<ParameterField> fields = new ArrayList<>();
              Map<String, Object> parameters = parameters(items(answer).get(0));
              map(parameters.get("pipeline"))
                  .forEach(
                      (k, v) -> fields.add(new ParameterField("", k, JsonValues.text(v), null)));
              map(parameters.get("steps"))
                  .forEach(
                      (step, values) ->
                          map(values)
                              .forEach(
                                  (k, v) ->
                                      fields.add(
                                          new ParameterField(step, k, JsonValues.text(v), null))));
              return fields;
            });
  }

  /** The page of combinations the form's (valid) values give, selected as the form says. */
  Mono<RunsView> runs(ServerWebExchange exchange, JobForm form) {
    if (form.hasFieldErrors()) {
      return Mono.just(
          RunsView.unavailable(
              UiProblem.local("Fix the values marked above", "No runs can be listed until then.")));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", "preview");
    body.put("project", form.project());
    body.put("pipeline", form.pipeline());
    body.put("grid", form.grid());
    int first = form.runsPage() * (PAGE_ROWS / API_PAGE);
    return Flux.range(first, PAGE_ROWS / API_PAGE)
        .concatMap(p -> api.post(exchange, "/jobs:preview?size=" + API_PAGE + "&page=" + p, body))
        .collectList()
        .map(pages -> view(form, pages))
        .onErrorResume(UiApiException.class, e -> Mono.just(RunsView.unavailable(e.problem())));
  }

  private static RunsView view(JobForm form, List<Map<String, Object>> pages) {
    long gridSize = ((Number) pages.get(0).getOrDefault("gridSize", 0)).longValue();
    List<String> columns = form.parameters().stream().map(ParameterField::label).toList();
    List<RunsView.Row> rows = new ArrayList<>();
    for (Map<String, Object> page : pages) {
      for (Map<String, Object> item : items(page)) {
        long index = ((Number) item.get("gridIndex")).longValue();
        Map<String, Object> parameters = parameters(item);
        List<String> values = new ArrayList<>();
        for (ParameterField f : form.parameters()) {
          Map<String, Object> scope =
              f.pipelineLevel()
                  ? map(parameters.get("pipeline"))
                  : map(map(parameters.get("steps")).get(f.step()));
          values.add(JsonValues.text(scope.get(f.name())));
        }
        rows.add(new RunsView.Row(index, values, form.selection().selected(index)));
      }
    }
    int lastPage = gridSize == 0 ? 0 : (int) ((gridSize - 1) / PAGE_ROWS);
    return new RunsView(
        columns,
        rows,
        gridSize,
        form.selection().count(gridSize),
        Math.min(form.runsPage(), lastPage),
        lastPage,
        null);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> items(Map<String, Object> answer) {
    Object items = answer.get("items");
    return items instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  private static Map<String, Object> parameters(Map<String, Object> item) {
    return map(item.get("parameters"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }
}

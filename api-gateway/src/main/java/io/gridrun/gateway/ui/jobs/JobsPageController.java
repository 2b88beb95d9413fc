package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * The Jobs page ({@code /jobs}, also {@code /}): the API's job list, newest first, filtered by the
 * search box and status in the URL; the table follows job status events live.
 */
@Controller
class JobsPageController {

  static final List<String> JOB_STATUSES =
      List.of("PENDING", "STARTED", "PAUSED", "SUCCESS", "FAILURE", "ABORTED");
  private static final int PAGE_SIZE = 50;

  private final UiApi api;

  JobsPageController(UiApi api) {
    this.api = api;
  }

  @GetMapping({"/", "/jobs"})
  Mono<Rendering> jobs(
      @RequestParam(defaultValue = "") String q,
      @RequestParam(defaultValue = "") String status,
      @RequestParam(defaultValue = "0") int page,
      ServerWebExchange exchange) {
    String filter = JOB_STATUSES.contains(status) ? status : "";
    String path =
        UriComponentsBuilder.fromPath("/jobs")
            .queryParamIfPresent("q", q.isBlank() ? Optional.empty() : Optional.of(q))
            .queryParamIfPresent(
                "status", filter.isEmpty() ? Optional.empty() : Optional.of(filter))
            .queryParam("page", Math.max(0, page))
            .queryParam("size", PAGE_SIZE)
            .encode()
            .build()
            .toUriString();
    return api.get(exchange, path, JobPage.class)
        .map(
            jobs ->
                Rendering.view("jobs")
                    .modelAttribute("jobs", jobs.items().stream().map(JobRow::of).toList())
                    .modelAttribute("pageInfo", jobs.asPage())
                    .modelAttribute("q", q)
                    .modelAttribute("status", filter)
                    .modelAttribute("statuses", JOB_STATUSES)
                    .build());
  }

  /** The API's page of jobs. */
  @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
  record JobPage(List<ApiJob> items, int page, int size, long total) {
    ApiPage<ApiJob> asPage() {
      return new ApiPage<>(items, page, size, total);
    }
  }
}

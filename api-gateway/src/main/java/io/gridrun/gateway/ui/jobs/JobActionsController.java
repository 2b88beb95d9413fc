package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiApi;
import io.gridrun.gateway.ui.UiApiException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * The Job page's buttons: each posts here, is sent to the API's control endpoint, and comes back to
 * the job's page (Duplicate: the new job's; Delete: the Jobs page). A refusal (409) is shown on the
 * job's page.
 */
@Controller
class JobActionsController {

  /** Button → the API's control path under {@code /api/v1/jobs/{id}/}. */
  private static final Map<String, String> ACTIONS =
      Map.of(
          "cancel", "cancel",
          "pause", "pause",
          "resume", "resume",
          "trigger", "trigger",
          "rerun-failed", "rerun-failed",
          "duplicate", "duplicate");

  private final UiApi api;
  private final JobPageController pages;

  JobActionsController(UiApi api, JobPageController pages) {
    this.api = api;
    this.pages = pages;
  }

  @PostMapping("/jobs/{id}/{action}")
  Mono<Rendering> act(
      @PathVariable String id, @PathVariable String action, ServerWebExchange exchange) {
    String jobPath = "/jobs/" + UriUtils.encodePathSegment(id, "UTF-8");
    Mono<Rendering> done;
    if ("delete".equals(action)) {
      done = api.delete(exchange, jobPath).thenReturn(Rendering.redirectTo("/jobs").build());
    } else if (ACTIONS.containsKey(action)) {
      done =
          api.post(exchange, jobPath + "/" + ACTIONS.get(action), null)
              .map(
                  answer ->
                      Rendering.redirectTo(
                              "duplicate".equals(action) && answer.get("id") != null
                                  ? "/jobs/" + answer.get("id")
                                  : jobPath)
                          .build());
    } else {
      return Mono.just(Rendering.redirectTo(jobPath).build());
    }
    return done.onErrorResume(
        UiApiException.class,
        e ->
            e.status() == 404
                ? Mono.error(e)
                : pages.render(
                    exchange,
                    id,
                    new JobPageQuery("runs", "", "", "", 0, "", "asc", "", "", ""),
                    e.problem(),
                    HttpStatus.valueOf(e.status())));
  }
}

package io.gridrun.job.results;

import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Pages;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The results table of a job: every run's parameters and metrics, to compare across the grid. */
@RestController
class ResultsController {

  private final JobStore jobs;
  private final RunStore runs;

  ResultsController(JobStore jobs, RunStore runs) {
    this.jobs = jobs;
    this.runs = runs;
  }

  @GetMapping("/api/v1/jobs/{id}/results")
  Mono<Map<String, Object>> results(
      @PathVariable String id,
      @RequestParam(required = false) String sort,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(required = false) Integer batch,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    boolean descending = descending(order);
    return sortedRows(id, sort, descending, batch)
        .map(
            rows -> {
              int from = (int) Math.min(rows.size(), (long) page * size);
              List<Map<String, Object>> items =
                  rows.subList(from, Math.min(rows.size(), from + size)).stream()
                      .map(ResultsTable::row)
                      .toList();
              return Pages.of(items, page, size, rows.size());
            });
  }

  @GetMapping("/api/v1/jobs/{id}/results.csv")
  Mono<ResponseEntity<String>> csv(
      @PathVariable String id,
      @RequestParam(required = false) String sort,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(required = false) Integer batch) {
    boolean descending = descending(order);
    return sortedRows(id, sort, descending, batch)
        .map(
            rows ->
                ResponseEntity.ok()
                    .contentType(
                        new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
                    .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"" + id + "-results.csv\"")
                    .body(new ResultsTable(rows).csv(rows)));
  }

  private Mono<List<RunRecord>> sortedRows(
      String id, String sort, boolean descending, Integer batch) {
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown job '" + id + "'")))
        .flatMap(job -> runs.ofJob(id, batch).collectList())
        .map(all -> new ResultsTable(all).sorted(sort, descending));
  }

  private static boolean descending(String order) {
    if (!order.equals("asc") && !order.equals("desc")) {
      throw ApiProblem.badRequest("order must be asc or desc, not '" + order + "'");
    }
    return order.equals("desc");
  }
}

package io.gridrun.job.results;

import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.job.web.Page;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Pages;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The results table of a job: every run's parameters and metrics, to compare across the grid.
 * Sorted and paged by the database, and the CSV streamed, so that a job of 100 000 runs never has
 * its runs in job-service's memory together.
 */
@RestController
class ResultsController {

  private final JobStore jobs;
  private final RunStore runs;

  ResultsController(JobStore jobs, RunStore runs) {
    this.jobs = jobs;
    this.runs = runs;
  }

  @GetMapping("/api/v1/jobs/{id}/results")
  Mono<Page<ResultsTable.ResultRow>> results(
      @PathVariable String id,
      @RequestParam(required = false) String sort,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(required = false) Integer batch,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    boolean descending = descending(order);
    if (sort != null && !sort.isEmpty() && !io.gridrun.job.web.QueryKeys.isValid(sort)) {
      return Mono.error(invalidSort(sort));
    }
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown job '" + id + "'")))
        .flatMap(job -> ResultsOrdering.of(runs, job, batch, sort, descending))
        .flatMap(
            ordered ->
                ordered.isPresent()
                    ? page(id, ordered.get(), page, size)
                    : scanned(id, sort, descending, batch, page, size));
  }

  /** One page of a table in this order: its runs read by id. */
  private Mono<Page<ResultsTable.ResultRow>> page(String id, long[] order, int page, int size) {
    long from = (long) page * size;
    List<String> ids = new ArrayList<>();
    for (long i = from; i < Math.min(order.length, from + size); i++) {
      ids.add(RunRecord.idOf(id, order[(int) i]));
    }
    return runs.findAllReactive(ids)
        .map(
            found -> {
              Map<String, RunRecord> byId = new HashMap<>();
              found.forEach(r -> byId.put(r.id(), r));
              List<ResultsTable.ResultRow> rows =
                  ids.stream()
                      .map(byId::get)
                      .filter(r -> r != null)
                      .map(ResultsTable::row)
                      .toList();
              return new Page<>(rows, page, size, (long) order.length);
            });
  }

  /** A job stored before run buckets: sorted and paged by the database. */
  private Mono<Page<ResultsTable.ResultRow>> scanned(
      String id, String sort, boolean descending, Integer batch, int page, int size) {
    return sortField(id, batch, sort)
        .flatMap(
            field ->
                Mono.zip(
                        runs.countWithValue(id, batch, null),
                        runs.countWithValue(id, batch, field.orElse(null)))
                    .flatMap(
                        counts ->
                            page(
                                    id,
                                    batch,
                                    field.orElse(null),
                                    descending,
                                    counts.getT2(),
                                    page,
                                    size)
                                .map(ResultsTable::row)
                                .collectList()
                                .map(items -> new Page<>(items, page, size, counts.getT1()))));
  }

  @GetMapping("/api/v1/jobs/{id}/results.csv")
  Mono<ResponseEntity<Flux<String>>> csv(
      @PathVariable String id,
      @RequestParam(required = false) String sort,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(required = false) Integer batch) {
    boolean descending = descending(order);
    return sortField(id, batch, sort)
        .zipWith(runs.ofJob(id, batch).reduce(new ResultsColumns(), ResultsColumns::add))
        .map(
            fieldAndColumns -> {
              String field = fieldAndColumns.getT1().orElse(null);
              ResultsColumns columns = fieldAndColumns.getT2();
              Flux<String> lines =
                  Flux.concat(
                      Mono.just(columns.header()),
                      ordered(id, batch, field, descending).map(columns::row));
              return ResponseEntity.ok()
                  .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                  .header(
                      HttpHeaders.CONTENT_DISPOSITION,
                      "attachment; filename=\"" + id + "-results.csv\"")
                  .body(lines);
            });
  }

  /**
   * The document field the table is sorted by: the metric {@code <step>.<name>} when a run has it,
   * else the step parameter, else the pipeline parameter; empty for sequence order. Fails with 404
   * for an unknown job.
   */
  private Mono<Optional<String>> sortField(String id, Integer batch, String sort) {
    Mono<Boolean> known =
        jobs.findReactive(id)
            .hasElement()
            .filter(Boolean::booleanValue)
            .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown job '" + id + "'")));
    if (sort == null || sort.isEmpty()) {
      return known.thenReturn(Optional.empty());
    }
    if (!io.gridrun.job.web.QueryKeys.isValid(sort)) {
      return Mono.error(invalidSort(sort));
    }
    String metric = ResultsTable.metricField(sort);
    String stepParameter = ResultsTable.stepParameterField(sort);
    String pipelineParameter = ResultsTable.pipelineParameterField(sort);
    return known.then(
        firstPresent(id, batch, metric)
            .switchIfEmpty(firstPresent(id, batch, stepParameter))
            .defaultIfEmpty(pipelineParameter)
            .map(Optional::of));
  }

  private Mono<String> firstPresent(String id, Integer batch, String field) {
    return field == null
        ? Mono.empty()
        : runs.anyHas(id, batch, field).filter(Boolean::booleanValue).map(has -> field);
  }

  /** One page: runs with a value for the sort key first, in its order, then those without. */
  private Flux<RunRecord> page(
      String id,
      Integer batch,
      String field,
      boolean descending,
      long withValue,
      int page,
      int size) {
    if (field == null) {
      return runs.resultsSlice(id, batch, null, true, descending, (long) page * size, size);
    }
    ResultsPage split = ResultsPage.of(withValue, page, size);
    Flux<RunRecord> with =
        split.takeWith() == 0
            ? Flux.empty()
            : runs.resultsSlice(
                id, batch, field, true, descending, split.skipWith(), split.takeWith());
    Flux<RunRecord> without =
        split.takeWithout() == 0
            ? Flux.empty()
            : runs.resultsSlice(
                id, batch, field, false, descending, split.skipWithout(), split.takeWithout());
    return Flux.concat(with, without);
  }

  /** Every run of the table in order, streamed. */
  private Flux<RunRecord> ordered(String id, Integer batch, String field, boolean descending) {
    if (field == null) {
      return runs.resultsSlice(id, batch, null, true, descending, 0, 0);
    }
    return Flux.concat(
        runs.resultsSlice(id, batch, field, true, descending, 0, 0),
        runs.resultsSlice(id, batch, field, false, descending, 0, 0));
  }

  private static ApiProblem invalidSort(String sort) {
    return ApiProblem.badRequest(
        "sort '" + sort + "' is not a metric <step>.<name> or a parameter <name> or <step>.<name>");
  }

  private static boolean descending(String order) {
    if (!order.equals("asc") && !order.equals("desc")) {
      throw ApiProblem.badRequest("order must be asc or desc, not '" + order + "'");
    }
    return order.equals("desc");
  }
}

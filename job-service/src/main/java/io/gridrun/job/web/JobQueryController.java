package io.gridrun.job.web;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunQuery;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Pages;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** Reads of jobs and runs, served from job-service's own data. */
@RestController
class JobQueryController {

  private final JobStore jobs;
  private final RunStore runs;
  private final RunLists lists;

  JobQueryController(JobStore jobs, RunStore runs, RunLists lists) {
    this.jobs = jobs;
    this.runs = runs;
    this.lists = lists;
  }

  @GetMapping("/api/v1/jobs/{id}")
  Mono<JobView> job(@PathVariable String id) {
    return jobs.findReactive(id).map(JobView::of).switchIfEmpty(Mono.error(() -> unknownJob(id)));
  }

  /**
   * Jobs newest first, optionally of one {@code status} or {@code project}, or matching {@code q}.
   */
  @GetMapping("/api/v1/jobs")
  Mono<Page<JobView>> jobs(
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String project,
      @RequestParam(required = false) String q,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    if (status != null
        && Arrays.stream(io.gridrun.common.status.JobStatus.values())
            .noneMatch(s -> s.name().equals(status))) {
      return Mono.error(
          ApiProblem.badRequest(
              "status must be one of "
                  + Arrays.toString(io.gridrun.common.status.JobStatus.values())
                  + ", not '"
                  + status
                  + "'"));
    }
    JobStore.JobQuery filter = new JobStore.JobQuery(status, project, q);
    return jobs.page(filter, page, size)
        .zipWith(
            jobs.count(filter),
            (items, total) ->
                new Page<>(items.stream().map(JobView::of).toList(), page, size, total));
  }

  /**
   * A job's runs in sequence order, optionally filtered by {@code status}, {@code batch} and
   * parameter values ({@code param.lr=0.1} for a pipeline parameter, {@code param.train.epochs=3}
   * for a step's); {@code order=desc} for the newest first.
   */
  @GetMapping("/api/v1/jobs/{id}/runs")
  Mono<Page<RunView>> runs(
      @PathVariable String id,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) Integer batch,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size,
      @RequestParam Map<String, String> query) {
    Pages.check(page, size);
    if (status != null
        && Arrays.stream(ExecutionStatus.values()).noneMatch(s -> s.name().equals(status))) {
      return Mono.error(
          ApiProblem.badRequest(
              "status must be one of "
                  + Arrays.toString(ExecutionStatus.values())
                  + ", not '"
                  + status
                  + "'"));
    }
    if (!order.equals("asc") && !order.equals("desc")) {
      return Mono.error(ApiProblem.badRequest("order must be asc or desc, not '" + order + "'"));
    }
    Map<String, String> parameters = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> entry : query.entrySet()) {
      if (entry.getKey().startsWith(PARAM_PREFIX)) {
        String name = entry.getKey().substring(PARAM_PREFIX.length());
        if (!QueryKeys.isValid(name)) {
          return Mono.error(
              ApiProblem.badRequest(
                  "filter '"
                      + entry.getKey()
                      + "' does not name a parameter: use param.<name> or param.<step>.<name>"));
        }
        parameters.put(name, entry.getValue());
      }
    }
    RunQuery filter = new RunQuery(status, batch, parameters);
    boolean descending = order.equals("desc");
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> unknownJob(id)))
        .flatMap(
            job ->
                filter.filters() || descending
                    ? lists.page(job, filter, descending, page, size)
                    : allRuns(job, page, size));
  }

  private static final String PARAM_PREFIX = "param.";

  /** A page of all runs is a lookup of the ids that page must hold. */
  private Mono<Page<RunView>> allRuns(JobRecord job, int page, int size) {
    long first = (long) page * size;
    long last = Math.min(job.materialized(), first + size);
    List<String> ids =
        LongStream.range(first, Math.max(first, last))
            .mapToObj(seq -> RunRecord.idOf(job.id(), seq))
            .toList();
    return runs.findAllReactive(ids)
        .map(
            found ->
                new Page<>(
                    found.stream().map(r -> RunView.of(r, RunView.titles(job))).toList(),
                    page,
                    size,
                    job.materialized()));
  }

  @GetMapping("/api/v1/runs/{runId}")
  Mono<RunView> run(@PathVariable String runId) {
    return runs.findReactive(runId)
        .flatMap(
            run ->
                jobs.findReactive(run.jobId())
                    .map(job -> RunView.of(run, RunView.titles(job)))
                    .defaultIfEmpty(RunView.of(run)))
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown run '" + runId + "'")));
  }

  static ApiProblem unknownJob(String id) {
    return ApiProblem.notFound("unknown job '" + id + "'");
  }
}

package io.gridrun.job.web;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.persistence.JobStore;
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

  JobQueryController(JobStore jobs, RunStore runs) {
    this.jobs = jobs;
    this.runs = runs;
  }

  @GetMapping("/api/v1/jobs/{id}")
  Mono<Map<String, Object>> job(@PathVariable String id) {
    return jobs.findReactive(id).map(JobViews::job).switchIfEmpty(Mono.error(() -> unknownJob(id)));
  }

  @GetMapping("/api/v1/jobs")
  Mono<Map<String, Object>> jobs(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return jobs.page(page, size)
        .zipWith(
            jobs.count(),
            (items, total) ->
                Pages.of(items.stream().map(JobViews::job).toList(), page, size, total));
  }

  @GetMapping("/api/v1/jobs/{id}/runs")
  Mono<Map<String, Object>> runs(
      @PathVariable String id,
      @RequestParam(required = false) String status,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
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
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> unknownJob(id)))
        .flatMap(
            job ->
                status == null
                    ? allRuns(job, page, size)
                    : runsIn(job, ExecutionStatus.valueOf(status), page, size));
  }

  /** A page of all runs is a lookup of the ids that page must hold. */
  private Mono<Map<String, Object>> allRuns(JobRecord job, int page, int size) {
    long first = (long) page * size;
    long last = Math.min(job.materialized(), first + size);
    List<String> ids =
        LongStream.range(first, Math.max(first, last))
            .mapToObj(seq -> RunRecord.idOf(job.id(), seq))
            .toList();
    return runs.findAll(ids)
        .map(
            found ->
                Pages.of(
                    found.stream().map(JobViews::run).toList(), page, size, job.materialized()));
  }

  private Mono<Map<String, Object>> runsIn(
      JobRecord job, ExecutionStatus status, int page, int size) {
    return runs.pageByStatus(job.id(), status.name(), page, size)
        .map(
            found ->
                Pages.of(
                    found.stream().map(JobViews::run).toList(),
                    page,
                    size,
                    job.runCounts().get(status)));
  }

  @GetMapping("/api/v1/runs/{runId}")
  Mono<Map<String, Object>> run(@PathVariable String runId) {
    return runs.findReactive(runId)
        .map(JobViews::run)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown run '" + runId + "'")));
  }

  static ApiProblem unknownJob(String id) {
    return ApiProblem.notFound("unknown job '" + id + "'");
  }
}

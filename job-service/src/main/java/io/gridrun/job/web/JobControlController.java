package io.gridrun.job.web;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.platform.web.ApiProblem;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Job and run control: checks that the job's state allows the operation (409 with the reason if
 * not), then publishes the command so that it is applied in order with the job's other events.
 */
@RestController
class JobControlController {

  private final JobStore jobs;
  private final RunStore runs;
  private final EventPublisher publisher;
  private final Clock clock;

  JobControlController(JobStore jobs, RunStore runs, EventPublisher publisher, Clock clock) {
    this.jobs = jobs;
    this.runs = runs;
    this.publisher = publisher;
    this.clock = clock;
  }

  @PostMapping("/api/v1/jobs/{id}/cancel")
  Mono<ResponseEntity<Map<String, Object>>> cancel(@PathVariable String id) {
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> JobQueryController.unknownJob(id)))
        .flatMap(
            job -> {
              if (job.status().isTerminal()) {
                return Mono.error(
                    ApiProblem.conflict(
                        "job '"
                            + id
                            + "' already ended "
                            + job.status()
                            + "; there is nothing to cancel"));
              }
              return command(id, Action.CANCEL, null);
            });
  }

  @PostMapping("/api/v1/runs/{runId}/cancel")
  Mono<ResponseEntity<Map<String, Object>>> cancelRun(@PathVariable String runId) {
    return runs.findReactive(runId)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown run '" + runId + "'")))
        .flatMap(
            run -> {
              if (run.status().isTerminal()) {
                return Mono.error(
                    ApiProblem.conflict(
                        "run '"
                            + runId
                            + "' already ended "
                            + run.status()
                            + "; there is nothing to cancel"));
              }
              return command(run.jobId(), Action.CANCEL_RUN, runId);
            });
  }

  /**
   * Every job runs once today (schedules are not implemented yet), and only scheduled jobs can be
   * paused, resumed or triggered: these answer 409 with the reason.
   */
  @PostMapping({"/api/v1/jobs/{id}/pause", "/api/v1/jobs/{id}/resume", "/api/v1/jobs/{id}/trigger"})
  Mono<ResponseEntity<Map<String, Object>>> scheduleControl(
      @PathVariable String id, org.springframework.http.server.reactive.ServerHttpRequest request) {
    String action =
        request.getPath().value().substring(request.getPath().value().lastIndexOf('/') + 1);
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> JobQueryController.unknownJob(id)))
        .flatMap(
            job ->
                Mono.error(
                    ApiProblem.conflict(
                        "job '"
                            + id
                            + "' has no schedule: only scheduled jobs can be "
                            + pastTense(action))));
  }

  @PostMapping("/api/v1/jobs/{id}/rerun-failed")
  Mono<ResponseEntity<Map<String, Object>>> rerunFailed(@PathVariable String id) {
    return notYet(id, "re-running failed runs");
  }

  @org.springframework.web.bind.annotation.DeleteMapping("/api/v1/jobs/{id}")
  Mono<ResponseEntity<Map<String, Object>>> delete(@PathVariable String id) {
    return notYet(id, "deleting jobs");
  }

  private Mono<ResponseEntity<Map<String, Object>>> notYet(String id, String what) {
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> JobQueryController.unknownJob(id)))
        .flatMap(
            job ->
                Mono.error(
                    new ApiProblem(
                        org.springframework.http.HttpStatus.NOT_IMPLEMENTED,
                        "Not implemented",
                        what + " is not available in this version of gridrun")));
  }

  private static String pastTense(String action) {
    return switch (action) {
      case "pause" -> "paused";
      case "resume" -> "resumed";
      default -> "triggered";
    };
  }

  private Mono<ResponseEntity<Map<String, Object>>> command(
      String jobId, Action action, String runId) {
    JobControlRequested event =
        new JobControlRequested(
            UUID.randomUUID().toString(), jobId, clock.instant(), action, runId, null);
    return publisher
        .publishReactive(event)
        .thenReturn(
            ResponseEntity.accepted()
                .body(
                    Map.<String, Object>of(
                        "id", runId != null ? runId : jobId, "action", action.name())));
  }
}

package io.gridrun.job.web;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.job.domain.Batches;
import io.gridrun.job.domain.JobControl;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.platform.web.ApiProblem;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
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
  Mono<ResponseEntity<Accepted>> cancel(@PathVariable String id) {
    return checked(id, Action.CANCEL, JobControl::cancelRefusal);
  }

  @PostMapping("/api/v1/runs/{runId}/cancel")
  Mono<ResponseEntity<Accepted>> cancelRun(@PathVariable String runId) {
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

  @PostMapping("/api/v1/jobs/{id}/pause")
  Mono<ResponseEntity<Accepted>> pause(@PathVariable String id) {
    return checked(id, Action.PAUSE, JobControl::pauseRefusal);
  }

  @PostMapping("/api/v1/jobs/{id}/resume")
  Mono<ResponseEntity<Accepted>> resume(@PathVariable String id) {
    return checked(id, Action.RESUME, JobControl::resumeRefusal);
  }

  @PostMapping("/api/v1/jobs/{id}/trigger")
  Mono<ResponseEntity<Accepted>> trigger(@PathVariable String id) {
    return checked(id, Action.TRIGGER, JobControl::triggerRefusal);
  }

  @PostMapping("/api/v1/jobs/{id}/rerun-failed")
  Mono<ResponseEntity<Accepted>> rerunFailed(@PathVariable String id) {
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> JobQueryController.unknownJob(id)))
        .flatMap(
            job -> {
              Optional<String> refusal = JobControl.rerunRefusal(job);
              if (refusal.isPresent()) {
                return Mono.error(ApiProblem.conflict(refusal.get()));
              }
              Batches batches = job.batches();
              return runs.countRerunnable(id, batches.currentStart(), batches.currentSize())
                  .flatMap(
                      failed ->
                          failed == 0
                              ? Mono.error(ApiProblem.conflict(JobControl.nothingToRerun(job)))
                              : command(id, Action.RERUN_FAILED, null));
            });
  }

  /** Publishes {@code action} unless the job's state refuses it (409 with the reason). */
  private Mono<ResponseEntity<Accepted>> checked(
      String id, Action action, Function<JobRecord, Optional<String>> refusal) {
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> JobQueryController.unknownJob(id)))
        .flatMap(
            job ->
                refusal
                    .apply(job)
                    .<Mono<ResponseEntity<Accepted>>>map(
                        why -> Mono.error(ApiProblem.conflict(why)))
                    .orElseGet(() -> command(id, action, null)));
  }

  /**
   * Deletes the job through its event stream, and answers once it is gone, so that a {@code GET}
   * right after answers 404.
   */
  @org.springframework.web.bind.annotation.DeleteMapping("/api/v1/jobs/{id}")
  Mono<ResponseEntity<Accepted>> delete(@PathVariable String id) {
    return jobs.findReactive(id)
        .switchIfEmpty(Mono.error(() -> JobQueryController.unknownJob(id)))
        .flatMap(job -> command(id, Action.DELETE, null))
        .flatMap(
            accepted ->
                jobs.findReactive(id)
                    .flatMap(stillThere -> Mono.error(new IllegalStateException("not yet")))
                    .retryWhen(
                        reactor.util.retry.Retry.fixedDelay(
                            DELETE_WAIT.toMillis() / 100, java.time.Duration.ofMillis(100)))
                    .onErrorResume(e -> Mono.empty())
                    .thenReturn(accepted));
  }

  private static final java.time.Duration DELETE_WAIT = java.time.Duration.ofSeconds(15);

  private Mono<ResponseEntity<Accepted>> command(String jobId, Action action, String runId) {
    JobControlRequested event =
        new JobControlRequested(
            UUID.randomUUID().toString(), jobId, clock.instant(), action, runId, null);
    return publisher
        .publishReactive(event)
        .thenReturn(
            ResponseEntity.accepted()
                .body(new Accepted(runId != null ? runId : jobId, action.name())));
  }
}

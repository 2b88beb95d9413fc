package io.gridrun.gateway.job;

import io.gridrun.platform.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class JobController {

  private final JobSubmissionService submissions;
  private final JobDuplicationService duplications;

  private final MeterRegistry meters;

  JobController(
      JobSubmissionService submissions, JobDuplicationService duplications, MeterRegistry meters) {
    this.submissions = submissions;
    this.duplications = duplications;
    this.meters = meters;
  }

  @PostMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "Submit a job", tags = "jobs")
  @ApiResponse(responseCode = "202", description = "accepted; Location: /api/v1/jobs/{id}")
  @ApiResponse(
      responseCode = "400",
      description = "an invalid job: every problem in errors",
      content = @Content(mediaType = "application/problem+json"))
  Mono<ResponseEntity<JobAccepted>> create(
      @RequestBody(required = false) Mono<JobSubmission> body) {
    return accepted(SubmissionBodies.read(body).flatMap(submissions::submit));
  }

  @PostMapping(path = "/api/v1/jobs/{id}/duplicate", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "A new job with the same settings on a fresh snapshot of the project",
      tags = "control")
  @ApiResponse(responseCode = "202", description = "accepted; Location: /api/v1/jobs/{id}")
  Mono<ResponseEntity<JobAccepted>> duplicate(@PathVariable String id) {
    return accepted(Mono.defer(() -> duplications.duplicate(id)));
  }

  /** The answer to an accepted job: its id and {@code PENDING}. */
  record JobAccepted(String id, String status) {}

  private Mono<ResponseEntity<JobAccepted>> accepted(Mono<String> jobId) {
    return jobId
        .doOnNext(id -> meters.counter("gridrun.jobs.submitted", "outcome", "accepted").increment())
        .doOnError(
            InvalidJobRequestException.class,
            e -> meters.counter("gridrun.jobs.submitted", "outcome", "rejected").increment())
        .map(
            id ->
                ResponseEntity.accepted()
                    .location(URI.create("/api/v1/jobs/" + id))
                    .body(new JobAccepted(id, "PENDING")))
        .onErrorMap(InvalidJobRequestException.class, JobController::problem);
  }

  static ApiProblem problem(InvalidJobRequestException invalid) {
    ApiProblem problem =
        new ApiProblem(
            HttpStatus.BAD_REQUEST, "Invalid job", String.join("; ", invalid.problems()));
    problem.getBody().setProperty("errors", invalid.problems());
    return problem;
  }
}

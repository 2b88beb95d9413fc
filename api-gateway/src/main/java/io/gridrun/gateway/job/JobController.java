package io.gridrun.gateway.job;

import io.gridrun.platform.web.ApiProblem;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.util.Map;
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
  Mono<ResponseEntity<Map<String, String>>> create(@RequestBody(required = false) String body) {
    return accepted(Mono.defer(() -> submissions.submit(body == null ? "" : body)));
  }

  @PostMapping(path = "/api/v1/jobs/{id}/duplicate", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Map<String, String>>> duplicate(@PathVariable String id) {
    return accepted(Mono.defer(() -> duplications.duplicate(id)));
  }

  private Mono<ResponseEntity<Map<String, String>>> accepted(Mono<String> jobId) {
    return jobId
        .doOnNext(id -> meters.counter("gridrun.jobs.submitted", "outcome", "accepted").increment())
        .doOnError(
            InvalidJobRequestException.class,
            e -> meters.counter("gridrun.jobs.submitted", "outcome", "rejected").increment())
        .map(
            id ->
                ResponseEntity.accepted()
                    .location(URI.create("/api/v1/jobs/" + id))
                    .body(Map.of("id", id, "status", "PENDING")))
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

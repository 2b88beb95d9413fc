package io.gridrun.gateway.job;

import io.gridrun.platform.web.ApiProblem;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
class JobController {

  private final JobSubmissionService submissions;

  JobController(JobSubmissionService submissions) {
    this.submissions = submissions;
  }

  @PostMapping(path = "/api/v1/jobs", produces = MediaType.APPLICATION_JSON_VALUE)
  Mono<ResponseEntity<Map<String, String>>> create(@RequestBody(required = false) String body) {
    return Mono.defer(() -> submissions.submit(body == null ? "" : body))
        .map(
            id ->
                ResponseEntity.accepted()
                    .location(URI.create("/api/v1/jobs/" + id))
                    .body(Map.of("id", id, "status", "PENDING")))
        .onErrorMap(InvalidJobRequestException.class, JobController::problem);
  }

  private static ApiProblem problem(InvalidJobRequestException invalid) {
    ApiProblem problem =
        new ApiProblem(
            HttpStatus.BAD_REQUEST, "Invalid job", String.join("; ", invalid.problems()));
    problem.getBody().setProperty("errors", invalid.problems());
    return problem;
  }
}

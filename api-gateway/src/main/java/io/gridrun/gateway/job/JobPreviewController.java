package io.gridrun.gateway.job;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.RunSelection;
import io.gridrun.platform.web.ApiProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/jobs:preview}: the runs a job request would produce, with their indices,
 * without creating anything, so a UI or CLI can show the grid before submitting.
 */
@RestController
class JobPreviewController {

  private final JobSubmissionService submissions;

  JobPreviewController(JobSubmissionService submissions) {
    this.submissions = submissions;
  }

  @PostMapping({"/api/v1/jobs:preview", "/api/v1/jobs/preview"})
  Mono<Preview> preview(
      @RequestBody(required = false) Mono<JobSubmission> body,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    if (page < 0 || size < 1 || size > 500) {
      return Mono.error(ApiProblem.badRequest("page must be ≥ 0 and size between 1 and 500"));
    }
    return SubmissionBodies.read(body)
        .flatMap(submission -> submissions.prepare(submissions.request(submission)))
        .map(job -> page(job, page, size))
        .onErrorMap(InvalidJobRequestException.class, JobController::problem);
  }

  /** A page of the runs a job would produce, and the size of its grid. */
  record Preview(List<PreviewRun> items, int page, int size, long total, long gridSize) {}

  /**
   * A run the job would produce: its index, its grid index (null for an {@code include}d one), and
   * its parameters.
   */
  record PreviewRun(long index, Long gridIndex, Parameters parameters) {}

  /** A run's parameter values: the pipeline's, and each step's. */
  record Parameters(Map<String, Object> pipeline, Map<String, Map<String, Object>> steps) {}

  private static Preview page(PreparedJob job, int page, int size) {
    GridExpansion grid = job.grid();
    RunSelection selection = job.request().options().selection();
    long first = (long) page * size;
    List<PreviewRun> items = new ArrayList<>();
    long position = 0;
    for (long g = 0; g < grid.size() && items.size() < size; g++) {
      RunParameters parameters = grid.parametersAt(g);
      if (selection.keeps(g, parameters)) {
        if (position >= first) {
          items.add(item(position, g, parameters));
        }
        position++;
      }
    }
    RunParameters defaults = GridExpansion.defaults(job.pipeline());
    for (int i = 0; i < selection.include().size() && items.size() < size; i++, position++) {
      if (position >= first) {
        items.add(item(position, null, selection.included(i, defaults)));
      }
    }
    return new Preview(items, page, size, job.runCount(), grid.size());
  }

  private static PreviewRun item(long index, Long gridIndex, RunParameters parameters) {
    return new PreviewRun(
        index, gridIndex, new Parameters(parameters.pipeline(), parameters.steps()));
  }
}

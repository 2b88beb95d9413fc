package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Pages;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@RestController
class ProjectController {

  private final Projects projects;

  ProjectController(Projects projects) {
    this.projects = projects;
  }

  /** For the gateway's validation: the pipeline as the project has it now. */
  @GetMapping("/internal/projects/{project}/pipeline")
  Mono<PipelineDefinition> pipeline(@PathVariable String project, @RequestParam String path) {
    return Mono.fromCallable(() -> projects.pipeline(project, path))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(Projects.ProjectException.class, ProjectController::problem);
  }

  @GetMapping("/api/v1/projects")
  Mono<Map<String, Object>> projects(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return Mono.fromCallable(projects::names)
        .subscribeOn(Schedulers.boundedElastic())
        .map(
            names ->
                Pages.of(
                    slice(names, page, size).stream().map(n -> Map.of("name", n)).toList(),
                    page,
                    size,
                    names.size()));
  }

  @GetMapping("/api/v1/projects/{project}/pipelines")
  Mono<Map<String, Object>> pipelines(
      @PathVariable String project,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return Mono.fromCallable(() -> projects.pipelines(project))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(Projects.ProjectException.class, ProjectController::problem)
        .map(
            paths ->
                Pages.of(
                    slice(paths, page, size).stream().map(p -> Map.of("path", p)).toList(),
                    page,
                    size,
                    paths.size()));
  }

  private static <T> List<T> slice(List<T> all, int page, int size) {
    int from = (int) Math.min(all.size(), (long) page * size);
    return all.subList(from, Math.min(all.size(), from + size));
  }

  static ApiProblem problem(Projects.ProjectException e) {
    return e.notFound()
        ? ApiProblem.notFound(e.getMessage())
        : new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid pipeline", e.getMessage());
  }
}

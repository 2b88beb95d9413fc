package io.gridrun.snapshot.project;

import io.gridrun.platform.web.ApiProblem;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@code PUT /api/v1/projects/{name}/env}: the project's environment variables, a JSON object of
 * name to string value, replacing the previous ones; {@code GET} answers them. Applied to the jobs
 * created afterwards (snapshotted with each job).
 */
@RestController
class ProjectEnvController {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final Projects projects;
  private final ProjectEnv env;

  ProjectEnvController(Projects projects, ProjectEnv env) {
    this.projects = projects;
    this.env = env;
  }

  /** The answer: the project and its variables. */
  record ProjectEnvView(String project, Map<String, String> env) {}

  @PutMapping("/api/v1/projects/{project}/env")
  Mono<ProjectEnvView> replace(
      @PathVariable String project, @RequestBody(required = false) Map<String, Object> body) {
    if (body == null) {
      return Mono.error(
          ApiProblem.badRequest("the body must be a JSON object of variable name to string value"));
    }
    Map<String, String> variables = new LinkedHashMap<>();
    for (Map.Entry<String, Object> variable : body.entrySet()) {
      if (!NAME.matcher(variable.getKey()).matches()) {
        return Mono.error(
            ApiProblem.badRequest(
                "variable name '"
                    + variable.getKey()
                    + "' must be letters, digits and '_', not starting with a digit"));
      }
      if (!(variable.getValue() instanceof String value)) {
        return Mono.error(
            ApiProblem.badRequest("variable '" + variable.getKey() + "' must have a string value"));
      }
      variables.put(variable.getKey(), value);
    }
    return exists(project)
        .then(env.replace(project, variables))
        .map(v -> new ProjectEnvView(project, v));
  }

  @GetMapping("/api/v1/projects/{project}/env")
  Mono<ProjectEnvView> get(@PathVariable String project) {
    return exists(project).then(env.find(project)).map(v -> new ProjectEnvView(project, v));
  }

  private Mono<Void> exists(String project) {
    return Mono.fromCallable(
            () -> {
              projects.directory(project);
              return true;
            })
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(Projects.ProjectException.class, ProjectController::problem)
        .then();
  }
}

package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Page;
import io.gridrun.platform.web.Pages;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@RestController
class ProjectController {

  private static final java.util.Set<MediaType> ARCHIVES =
      java.util.Set.of(
          MediaType.parseMediaType("application/gzip"),
          MediaType.parseMediaType("application/x-gzip"),
          MediaType.APPLICATION_OCTET_STREAM);

  private final Projects projects;
  private final ProjectUpload upload;
  private final io.gridrun.snapshot.environment.OrchestEnvironments orchest;

  ProjectController(
      Projects projects,
      ProjectUpload upload,
      io.gridrun.snapshot.environment.OrchestEnvironments orchest) {
    this.projects = projects;
    this.upload = upload;
    this.orchest = orchest;
  }

  /**
   * Replaces (or creates) a project from a {@code .tar.gz} body, all or nothing: a refused archive
   * leaves the previous version as it was.
   */
  @PutMapping("/api/v1/projects/{project}")
  Mono<Map<String, Object>> upload(
      @PathVariable String project,
      @RequestHeader(name = "Content-Type", required = false) MediaType type,
      @RequestBody Flux<DataBuffer> body) {
    if (type == null || ARCHIVES.stream().noneMatch(a -> a.isCompatibleWith(type))) {
      return Mono.error(
          new ApiProblem(
              HttpStatus.UNSUPPORTED_MEDIA_TYPE,
              "Unsupported media type",
              "send the project as a .tar.gz with Content-Type application/gzip or application/octet-stream"));
    }
    return Mono.usingWhen(
            Mono.fromCallable(() -> Files.createTempFile("gridrun-upload", ".tar.gz"))
                .subscribeOn(Schedulers.boundedElastic()),
            file ->
                DataBufferUtils.write(limited(body), file)
                    .then(
                        Mono.fromCallable(
                                () -> {
                                  try (var in = Files.newInputStream(file)) {
                                    ProjectUpload.Result result = upload.replace(project, in);
                                    Map<String, Object> answer = new java.util.LinkedHashMap<>();
                                    answer.put("name", result.name());
                                    answer.put("files", result.files());
                                    answer.put("bytes", result.bytes());
                                    // Orchest's .orchest/environments: registered and built
                                    var environments =
                                        orchest.register(projects.directory(result.name()));
                                    if (!environments.isEmpty()) {
                                      answer.put("orchestEnvironments", environments);
                                    }
                                    return answer;
                                  }
                                })
                            .subscribeOn(Schedulers.boundedElastic())),
            file ->
                Mono.fromCallable(() -> Files.deleteIfExists(file))
                    .subscribeOn(Schedulers.boundedElastic()))
        .onErrorMap(
            ProjectUpload.Refused.class,
            e ->
                e.tooLarge()
                    ? new ApiProblem(
                        HttpStatus.PAYLOAD_TOO_LARGE, "Upload too large", e.getMessage())
                    : new ApiProblem(HttpStatus.BAD_REQUEST, "Upload refused", e.getMessage()));
  }

  /** The body, cut off with a 413 as soon as more than the compressed limit has arrived. */
  private Flux<DataBuffer> limited(Flux<DataBuffer> body) {
    long max = upload.limits().maxCompressedBytes();
    java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    return body.handle(
        (buffer, sink) -> {
          if (received.addAndGet(buffer.readableByteCount()) > max) {
            DataBufferUtils.release(buffer);
            sink.error(
                new ProjectUpload.Refused(
                    "the archive is larger than "
                        + max
                        + " bytes as sent, the limit"
                        + " (gridrun.snapshot.max-upload-compressed-bytes)",
                    true));
          } else {
            sink.next(buffer);
          }
        });
  }

  /** For the gateway's validation: the pipeline as the project has it now. */
  @GetMapping("/internal/projects/{project}/pipeline")
  Mono<PipelineDefinition> pipeline(@PathVariable String project, @RequestParam String path) {
    return Mono.fromCallable(() -> projects.pipeline(project, path))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(Projects.ProjectException.class, ProjectController::problem);
  }

  @GetMapping("/api/v1/projects")
  Mono<Page<ProjectName>> projects(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return Mono.fromCallable(projects::names)
        .subscribeOn(Schedulers.boundedElastic())
        .map(
            names ->
                new Page<>(
                    slice(names, page, size).stream().map(ProjectName::new).toList(),
                    page,
                    size,
                    names.size()));
  }

  @GetMapping("/api/v1/projects/{project}/pipelines")
  Mono<Page<PipelinePath>> pipelines(
      @PathVariable String project,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return Mono.fromCallable(() -> projects.pipelines(project))
        .subscribeOn(Schedulers.boundedElastic())
        .onErrorMap(Projects.ProjectException.class, ProjectController::problem)
        .map(
            paths ->
                new Page<>(
                    slice(paths, page, size).stream().map(PipelinePath::new).toList(),
                    page,
                    size,
                    paths.size()));
  }

  /** A project in the list of projects. */
  record ProjectName(String name) {}

  /** A pipeline file of a project, relative to its root. */
  record PipelinePath(String path) {}

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

package io.gridrun.gateway.artifacts;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.ProjectPaths;
import io.gridrun.gateway.job.JobServiceClient;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.storage.artifact.Artifact;
import io.gridrun.storage.artifact.ArtifactIndex;
import io.gridrun.storage.artifact.ArtifactStore;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Steps' artifacts (what a step wrote to {@code GRIDRUN_OUTPUTS}) and a notebook step's executed
 * notebook and its HTML, from the artifact store the runners write. Served with the content type of
 * their extension; HTML and SVG under a sandboxing content security policy, so a step's page cannot
 * run scripts as this origin.
 */
@RestController
class ArtifactController {

  private static final Map<String, String> TYPES =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("gif", "image/gif"),
          Map.entry("svg", "image/svg+xml"),
          Map.entry("html", "text/html;charset=UTF-8"),
          Map.entry("htm", "text/html;charset=UTF-8"),
          Map.entry("json", "application/json"),
          Map.entry("ipynb", "application/x-ipynb+json"),
          Map.entry("csv", "text/csv;charset=UTF-8"),
          Map.entry("txt", "text/plain;charset=UTF-8"),
          Map.entry("log", "text/plain;charset=UTF-8"),
          Map.entry("md", "text/markdown;charset=UTF-8"),
          Map.entry("pdf", "application/pdf"));

  private final ArtifactStore store;
  private final JobServiceClient jobs;

  ArtifactController(ArtifactStore store, JobServiceClient jobs) {
    this.store = store;
    this.jobs = jobs;
  }

  @GetMapping("/api/v1/runs/{runId}/steps/{stepId}/artifacts")
  Mono<List<ArtifactView>> list(@PathVariable String runId, @PathVariable String stepId) {
    return index(runId, stepId)
        .map(index -> index.artifacts().stream().map(a -> view(runId, stepId, a)).toList());
  }

  @GetMapping("/api/v1/runs/{runId}/steps/{stepId}/artifacts/{*path}")
  Mono<ResponseEntity<Flux<DataBuffer>>> download(
      @PathVariable String runId, @PathVariable String stepId, @PathVariable String path) {
    String relative = path.startsWith("/") ? path.substring(1) : path;
    return serve(runId, stepId, relative, "no artifact '" + relative + "'");
  }

  @GetMapping("/api/v1/runs/{runId}/steps/{stepId}/notebook.html")
  Mono<ResponseEntity<Flux<DataBuffer>>> notebookHtml(
      @PathVariable String runId, @PathVariable String stepId) {
    return serve(runId, stepId, "notebook.html", "no executed notebook");
  }

  @GetMapping("/api/v1/runs/{runId}/steps/{stepId}/notebook.ipynb")
  Mono<ResponseEntity<Flux<DataBuffer>>> notebook(
      @PathVariable String runId, @PathVariable String stepId) {
    return serve(runId, stepId, "notebook.ipynb", "no executed notebook");
  }

  private Mono<ResponseEntity<Flux<DataBuffer>>> serve(
      String runId, String stepId, String path, String missing) {
    return index(runId, stepId)
        .flatMap(
            index ->
                Mono.justOrEmpty(
                    index.artifacts().stream().filter(a -> a.path().equals(path)).findFirst()))
        .switchIfEmpty(
            Mono.error(
                () ->
                    ApiProblem.notFound(
                        "step '" + stepId + "' of run '" + runId + "' has " + missing)))
        .map(
            artifact -> {
              String type = typeOf(path);
              HttpHeaders headers = new HttpHeaders();
              headers.setContentType(MediaType.parseMediaType(type));
              headers.setContentLength(artifact.size());
              headers.set("X-Content-Type-Options", "nosniff");
              if (type.startsWith("text/html") || type.startsWith("image/svg")) {
                headers.set("Content-Security-Policy", "sandbox");
              }
              return ResponseEntity.ok().headers(headers).body(read(artifact));
            });
  }

  /** The step's artifact index; an unknown run or step is a 404, a step that kept none is empty. */
  private Mono<ArtifactIndex> index(String runId, String stepId) {
    if (!ProjectPaths.isSafeName(runId) || !ProjectPaths.isSafeName(stepId)) {
      return Mono.error(ApiProblem.notFound("no run '" + runId + "' with a step '" + stepId + "'"));
    }
    return Mono.fromCallable(() -> store.index(runId, stepId))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMap(
            found ->
                found.isPresent()
                    ? Mono.just(found.get())
                    : jobs.run(runId)
                        .switchIfEmpty(
                            Mono.error(() -> ApiProblem.notFound("unknown run '" + runId + "'")))
                        .flatMap(
                            run ->
                                hasStep(run, stepId)
                                    ? Mono.just(new ArtifactIndex(List.of(), List.of(), 0))
                                    : Mono.error(
                                        ApiProblem.notFound(
                                            "run '" + runId + "' has no step '" + stepId + "'"))));
  }

  private Flux<DataBuffer> read(Artifact artifact) {
    return DataBufferUtils.readInputStream(
            () -> store.open(artifact), DefaultDataBufferFactory.sharedInstance, 16384)
        .subscribeOn(Schedulers.boundedElastic());
  }

  /** An artifact as the API lists it, with the URL of its bytes. */
  record ArtifactView(String path, long size, String sha256, String url) {}

  private static ArtifactView view(String runId, String stepId, Artifact artifact) {
    return new ArtifactView(
        artifact.path(),
        artifact.size(),
        artifact.sha256(),
        "/api/v1/runs/" + runId + "/steps/" + stepId + "/artifacts/" + encodePath(artifact.path()));
  }

  static String encodePath(String path) {
    return Arrays.stream(path.split("/"))
        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"))
        .collect(Collectors.joining("/"));
  }

  static String typeOf(String path) {
    int dot = path.lastIndexOf('.');
    String extension = dot < 0 ? "" : path.substring(dot + 1).toLowerCase(Locale.ROOT);
    return Optional.ofNullable(TYPES.get(extension)).orElse("application/octet-stream");
  }

  private static boolean hasStep(String runJson, String stepId) {
    Object steps = EventCodec.mapper().readValue(runJson, Map.class).get("steps");
    return steps instanceof List<?> list
        && list.stream().anyMatch(s -> s instanceof Map<?, ?> m && stepId.equals(m.get("id")));
  }
}

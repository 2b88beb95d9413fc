package io.gridrun.snapshot.environment;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.EnvironmentNames;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.Pages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;

@RestController
class EnvironmentController {

  private final EnvironmentStore store;
  private final EnvironmentBuilds builds;
  private final BuildLogFollower logFollower;

  EnvironmentController(
      EnvironmentStore store, EnvironmentBuilds builds, BuildLogFollower logFollower) {
    this.store = store;
    this.builds = builds;
    this.logFollower = logFollower;
  }

  @PutMapping("/api/v1/environments/{name}")
  Mono<ResponseEntity<Map<String, Object>>> put(
      @PathVariable String name, @RequestBody(required = false) String body) {
    List<String> problems = new ArrayList<>();
    if (!EnvironmentNames.isValid(name)) {
      problems.add("environment name '" + name + "' must be " + EnvironmentNames.RULE);
    }
    Map<?, ?> json = Map.of();
    try {
      Object parsed = EventCodec.mapper().readValue(body == null ? "" : body, Object.class);
      if (parsed instanceof Map<?, ?> map) {
        json = map;
      } else {
        problems.add("the body must be a JSON object like {\"image\": \"gridrun/busybox:test\"}");
      }
    } catch (JacksonException e) {
      problems.add("the body is not valid JSON: " + e.getOriginalMessage());
    }
    Object image = json.get("image");
    Object base = json.get("base");
    Object setup = json.get("setup");
    boolean build = base != null || setup != null;
    if (problems.isEmpty() && build) {
      if (image != null) {
        problems.add("give either image (an existing image) or base and setup (a build), not both");
      }
      if (!(base instanceof String text) || text.isBlank()) {
        problems.add(
            "base is required for a build: the image to start from, e.g. gridrun/python:3-debian");
      }
      if (setup != null && !(setup instanceof String)) {
        problems.add("setup must be a shell script as a string");
      }
    } else if (problems.isEmpty() && (!(image instanceof String text) || text.isBlank())) {
      problems.add(
          "image is required: the image reference, e.g. gridrun/busybox:test (or base and setup"
              + " for gridrun to build one)");
    }
    Map<String, String> env = new LinkedHashMap<>();
    Object vars = json.get("env");
    if (vars instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (v instanceof String s) {
              env.put(String.valueOf(k), s);
            } else {
              problems.add("env." + k + " must be a string");
            }
          });
    } else if (vars != null) {
      problems.add("env must be an object of variable name to string value");
    }
    Object network = json.get("network");
    if (network != null && !(network instanceof Boolean)) {
      problems.add("network must be true or false");
    }
    if (!problems.isEmpty()) {
      ApiProblem problem =
          new ApiProblem(
              HttpStatus.BAD_REQUEST, "Invalid environment", String.join("; ", problems));
      problem.getBody().setProperty("errors", problems);
      return Mono.error(problem);
    }
    if (build) {
      Environment requested =
          new Environment(
              name,
              null,
              env,
              Instant.now(),
              (Boolean) network,
              ((String) base).strip(),
              setup == null ? "" : (String) setup,
              List.of());
      return Mono.fromCallable(() -> builds.start(requested))
          .subscribeOn(Schedulers.boundedElastic())
          .map(started -> ResponseEntity.accepted().body(view(started)));
    }
    return store
        .save(
            new Environment(name, ((String) image).strip(), env, Instant.now(), (Boolean) network))
        .map(saved -> ResponseEntity.ok(view(saved)));
  }

  @GetMapping(
      value = "/api/v1/environments/{name}/builds/{version}/log",
      produces = "text/plain;charset=UTF-8")
  Mono<ResponseEntity<Flux<DataBuffer>>> buildLog(
      @PathVariable String name,
      @PathVariable int version,
      @RequestParam(defaultValue = "false") boolean follow) {
    return store
        .find(name)
        .filter(e -> e.version(version).isPresent())
        .switchIfEmpty(
            Mono.error(
                () ->
                    ApiProblem.notFound(
                        "environment '" + name + "' has no build version " + version)))
        .map(
            environment ->
                ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("text/plain;charset=UTF-8"))
                    .body(logFollower.stream(name, version, follow)));
  }

  @GetMapping("/api/v1/environments/{name}")
  Mono<Map<String, Object>> get(@PathVariable String name) {
    return store
        .find(name)
        .map(EnvironmentController::view)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown environment '" + name + "'")));
  }

  @GetMapping("/api/v1/environments")
  Mono<Map<String, Object>> list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return store
        .page(page, size)
        .zipWith(
            store.count(),
            (items, total) ->
                Pages.of(
                    items.stream().map(EnvironmentController::view).toList(), page, size, total));
  }

  static Map<String, Object> view(Environment environment) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", environment.name());
    if (!environment.built()) {
      view.put("image", environment.image());
      view.put("status", EnvironmentVersion.Status.READY);
    } else {
      view.put("image", environment.newestReady().map(EnvironmentVersion::image).orElse(null));
      view.put("base", environment.base());
      view.put("setup", environment.setup());
      environment
          .newest()
          .ifPresent(
              newest -> {
                view.put("status", newest.status());
                view.put("version", newest.version());
                view.put("reason", newest.reason());
                view.put("imageId", newest.imageId());
              });
      view.put(
          "versions",
          environment.versions().stream().map(v -> versionView(environment.name(), v)).toList());
    }
    view.put("env", environment.env());
    view.put("network", Boolean.TRUE.equals(environment.network()));
    view.put("updatedAt", environment.updatedAt());
    return view;
  }

  private static Map<String, Object> versionView(String name, EnvironmentVersion version) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("version", version.version());
    view.put("status", version.status());
    view.put("reason", version.reason());
    view.put("image", version.image());
    view.put("imageId", version.imageId());
    view.put("startedAt", version.startedAt());
    view.put("builtAt", version.builtAt());
    view.put("log", "/api/v1/environments/" + name + "/builds/" + version.version() + "/log");
    return view;
  }
}

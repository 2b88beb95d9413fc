package io.gridrun.snapshot.environment;

import io.gridrun.common.pipeline.EnvironmentNames;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.platform.web.BeanChecks;
import io.gridrun.platform.web.Page;
import io.gridrun.platform.web.Pages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.springframework.web.server.ServerWebInputException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

@RestController
class EnvironmentController {

  private final EnvironmentStore store;
  private final EnvironmentBuilds builds;
  private final BuildLogFollower logFollower;
  private final Clock clock;

  EnvironmentController(
      EnvironmentStore store, EnvironmentBuilds builds, BuildLogFollower logFollower, Clock clock) {
    this.store = store;
    this.builds = builds;
    this.logFollower = logFollower;
    this.clock = clock;
  }

  @PutMapping("/api/v1/environments/{name}")
  Mono<ResponseEntity<EnvironmentView>> put(
      @PathVariable String name,
      @RequestBody(required = false) Mono<EnvironmentRegistration> body) {
    List<String> problems = new ArrayList<>();
    if (!EnvironmentNames.isValid(name)) {
      problems.add("environment name '" + name + "' must be " + EnvironmentNames.RULE);
    }
    return body.map(Optional::of)
        .onErrorResume(
            ServerWebInputException.class,
            e -> {
              problems.add(unreadable(e));
              return Mono.just(Optional.empty());
            })
        .defaultIfEmpty(Optional.empty())
        .flatMap(
            registration -> {
              if (registration.isEmpty() && problems.isEmpty()) {
                problems.add(NOT_AN_OBJECT);
              }
              registration.ifPresent(
                  r -> problems.addAll(BeanChecks.problems(r, EnvironmentRegistration.FIELDS)));
              if (!problems.isEmpty()) {
                ApiProblem problem =
                    new ApiProblem(
                        HttpStatus.BAD_REQUEST, "Invalid environment", String.join("; ", problems));
                problem.getBody().setProperty("errors", problems);
                return Mono.error(problem);
              }
              return register(name, registration.get());
            });
  }

  private static final String NOT_AN_OBJECT =
      "the body must be a JSON object like {\"image\": \"gridrun/busybox:test\"}";

  /** Malformed JSON, or a value of the wrong type named by its field. */
  private static String unreadable(ServerWebInputException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof DatabindException bind) {
        return bind.getPath().isEmpty() || bind.getPath().get(0).getPropertyName() == null
            ? NOT_AN_OBJECT
            : EnvironmentRegistration.wrongType(bind.getPath().get(0).getPropertyName());
      }
      if (cause instanceof JacksonException jackson) {
        return "the body is not valid JSON: " + jackson.getOriginalMessage();
      }
    }
    return NOT_AN_OBJECT;
  }

  private Mono<ResponseEntity<EnvironmentView>> register(
      String name, EnvironmentRegistration registration) {
    Map<String, String> env = new LinkedHashMap<>();
    if (registration.env() != null) {
      registration.env().forEach((k, v) -> env.put(k, (String) v));
    }
    // secrets: sealed by SecretSealer (sec helper)
    if (registration.build()) {
      Environment requested =
          new Environment(
              name,
              null,
              env,
              clock.instant(),
              registration.network(),
              registration.base().strip(),
              registration.setup() == null ? "" : registration.setup(),
              List.of());
      return Mono.fromCallable(() -> builds.start(requested))
          .subscribeOn(Schedulers.boundedElastic())
          .map(started -> ResponseEntity.accepted().body(EnvironmentView.of(started)));
    }
    return store
        .save(
            new Environment(
                name, registration.image().strip(), env, clock.instant(), registration.network()))
        .map(saved -> ResponseEntity.ok(EnvironmentView.of(saved)));
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
  Mono<EnvironmentView> get(@PathVariable String name) {
    return store
        .find(name)
        .map(EnvironmentView::of)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown environment '" + name + "'")));
  }

  @GetMapping("/api/v1/environments")
  Mono<Page<EnvironmentView>> list(
      @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "50") int size) {
    Pages.check(page, size);
    return store
        .page(page, size)
        .zipWith(
            store.count(),
            (items, total) ->
                new Page<>(items.stream().map(EnvironmentView::of).toList(), page, size, total));
  }
}

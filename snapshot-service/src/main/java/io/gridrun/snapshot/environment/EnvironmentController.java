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
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;

@RestController
class EnvironmentController {

  private final EnvironmentStore store;

  EnvironmentController(EnvironmentStore store) {
    this.store = store;
  }

  @PutMapping("/api/v1/environments/{name}")
  Mono<Map<String, Object>> put(
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
    if (problems.isEmpty() && (!(image instanceof String text) || text.isBlank())) {
      problems.add("image is required: the image reference, e.g. gridrun/busybox:test");
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
    return store
        .save(
            new Environment(name, ((String) image).strip(), env, Instant.now(), (Boolean) network))
        .map(EnvironmentController::view);
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
    view.put("image", environment.image());
    view.put("env", environment.env());
    view.put("network", Boolean.TRUE.equals(environment.network()));
    view.put("updatedAt", environment.updatedAt());
    return view;
  }
}

package io.gridrun.gateway.logs;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.pipeline.ProjectPaths;
import io.gridrun.gateway.job.JobServiceClient;
import io.gridrun.platform.web.ApiProblem;
import io.gridrun.storage.logs.LineTimes;
import io.gridrun.storage.logs.StepLogStore;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Serves a step's stdout and stderr from the shared log store; with {@code follow=true}, streams
 * new lines as the step writes them and ends when the step ends.
 */
@RestController
class StepLogController {

  private static final MediaType TEXT_UTF8 = MediaType.parseMediaType("text/plain;charset=UTF-8");

  private final StepLogStore logs;
  private final JobServiceClient jobs;
  private final LogFollowers followers;

  private final io.gridrun.gateway.limits.StreamPermits permits;

  StepLogController(
      StepLogStore logs,
      JobServiceClient jobs,
      LogFollowers followers,
      io.gridrun.gateway.limits.StreamPermits permits) {
    this.permits = permits;
    this.logs = logs;
    this.jobs = jobs;
    this.followers = followers;
  }

  @GetMapping("/api/v1/runs/{runId}/steps/{stepId}/logs")
  Mono<ResponseEntity<Flux<DataBuffer>>> logs(
      @PathVariable String runId,
      @PathVariable String stepId,
      @org.springframework.web.bind.annotation.RequestParam(defaultValue = "false") boolean follow,
      @org.springframework.web.bind.annotation.RequestParam(defaultValue = "false")
          boolean timestamps,
      org.springframework.http.server.reactive.ServerHttpRequest request) {
    if (!ProjectPaths.isSafeName(runId) || !ProjectPaths.isSafeName(stepId)) {
      return Mono.error(ApiProblem.notFound("no run '" + runId + "' with a step '" + stepId + "'"));
    }
    if (follow && timestamps) {
      return Mono.error(
          ApiProblem.badRequest("timestamps=true cannot be combined with follow=true"));
    }
    return jobs.run(runId)
        .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("unknown run '" + runId + "'")))
        .flatMap(
            run -> {
              if (!hasStep(run, stepId)) {
                return Mono.error(
                    ApiProblem.notFound("run '" + runId + "' has no step '" + stepId + "'"));
              }
              if (follow) {
                return Mono.just(
                    ResponseEntity.ok()
                        .contentType(TEXT_UTF8)
                        .body(
                            permits.guard(
                                request,
                                followers.follow(runId, stepId, logs.pathOf(runId, stepId)))));
              }
              if (timestamps) {
                return Mono.fromCallable(() -> logs.exists(runId, stepId))
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(
                        exists ->
                            exists
                                ? Mono.just(
                                    ResponseEntity.ok()
                                        .contentType(TEXT_UTF8)
                                        .body(timestamped(runId, stepId)))
                                : Mono.error(notStarted(runId, stepId)));
              }
              return Mono.fromCallable(() -> logs.open(runId, stepId))
                  .subscribeOn(Schedulers.boundedElastic())
                  .flatMap(
                      log ->
                          log.map(
                                  in ->
                                      Mono.just(
                                          ResponseEntity.ok()
                                              .contentType(TEXT_UTF8)
                                              .body(read(in))))
                              .orElseGet(() -> Mono.error(notStarted(runId, stepId))));
            });
  }

  private static ApiProblem notStarted(String runId, String stepId) {
    return ApiProblem.notFound(
        "step '" + stepId + "' of run '" + runId + "' has not started yet, so it has no log");
  }

  /** The log with each line behind the time it began, read as the client takes it. */
  private Flux<DataBuffer> timestamped(String runId, String stepId) {
    return Flux.using(
            () -> new LineTimes.Reader(logs.pathOf(runId, stepId), logs.timesOf(runId, stepId)),
            reader ->
                Flux.<String>generate(
                    sink -> {
                      try {
                        String line = reader.next();
                        if (line == null) {
                          sink.complete();
                        } else {
                          sink.next(line);
                        }
                      } catch (java.io.IOException e) {
                        sink.error(e);
                      }
                    }),
            reader -> {
              try {
                reader.close();
              } catch (java.io.IOException ignored) {
                // nothing left to release
              }
            })
        .subscribeOn(Schedulers.boundedElastic())
        .map(
            line ->
                DefaultDataBufferFactory.sharedInstance.wrap(
                    line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  private static Flux<DataBuffer> read(InputStream in) {
    return DataBufferUtils.readInputStream(() -> in, DefaultDataBufferFactory.sharedInstance, 8192)
        .subscribeOn(Schedulers.boundedElastic());
  }

  static boolean hasStep(String runJson, String stepId) {
    Object steps = EventCodec.mapper().readValue(runJson, Map.class).get("steps");
    return steps instanceof List<?> list
        && list.stream().anyMatch(s -> s instanceof Map<?, ?> m && stepId.equals(m.get("id")));
  }
}

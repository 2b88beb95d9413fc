package io.gridrun.gateway.logs;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.gateway.events.StatusTopicTail;
import io.gridrun.gateway.job.JobServiceClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Follows a step's log: polls the file for new lines and ends once the step ended, which it learns
 * from the status topic (at once) or from job-service (a fallback every few seconds).
 */
@Component
class LogFollowers {

  private static final Duration FILE_POLL = Duration.ofMillis(250);
  private static final Duration STATUS_POLL = Duration.ofSeconds(3);

  private final StatusTopicTail statuses;
  private final JobServiceClient jobs;

  LogFollowers(StatusTopicTail statuses, JobServiceClient jobs) {
    this.statuses = statuses;
    this.jobs = jobs;
  }

  Flux<DataBuffer> follow(String runId, String stepId, Path file) {
    return Flux.defer(
        () -> {
          AtomicBoolean ended = new AtomicBoolean();
          // listen before looking, so an end between the two is not missed
          Disposable watch = stepEnded(runId, stepId).subscribe(done -> ended.set(true));
          FileTail tail = new FileTail(file);
          return Flux.interval(Duration.ZERO, FILE_POLL, Schedulers.boundedElastic())
              .onBackpressureDrop()
              .concatMap(tick -> Mono.fromCallable(() -> chunk(tail, ended.get())), 1)
              .takeUntil(Chunk::last)
              .filter(chunk -> chunk.bytes().length > 0)
              .map(
                  chunk -> (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(chunk.bytes()))
              .doFinally(signal -> watch.dispose());
        });
  }

  private record Chunk(byte[] bytes, boolean last) {}

  private static Chunk chunk(FileTail tail, boolean last) {
    try {
      return new Chunk(tail.read(last), last);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Emits once the step is in a terminal state. */
  private Mono<Boolean> stepEnded(String runId, String stepId) {
    Mono<Boolean> fromTopic =
        statuses
            .live()
            .filter(record -> "step.status".equals(record.type()))
            .map(record -> EventCodec.mapper().readValue(record.json(), Map.class))
            .filter(
                event ->
                    runId.equals(event.get("runId"))
                        && stepId.equals(event.get("stepId"))
                        && terminal(event.get("status")))
            .next()
            .map(event -> true);
    Mono<Boolean> fromJobService =
        Flux.interval(Duration.ZERO, STATUS_POLL)
            .concatMap(tick -> jobs.run(runId).map(json -> stepStatus(json, stepId)))
            .filter(LogFollowers::terminal)
            .next()
            .map(status -> true);
    return Flux.merge(fromTopic, fromJobService).next();
  }

  private static boolean terminal(Object status) {
    try {
      return status != null && ExecutionStatus.valueOf(String.valueOf(status)).isTerminal();
    } catch (IllegalArgumentException unknown) {
      return false;
    }
  }

  private static Object stepStatus(String runJson, String stepId) {
    Object steps = EventCodec.mapper().readValue(runJson, Map.class).get("steps");
    if (steps instanceof List<?> list) {
      for (Object step : list) {
        if (step instanceof Map<?, ?> m && stepId.equals(m.get("id"))) {
          return m.get("status");
        }
      }
    }
    return "";
  }
}

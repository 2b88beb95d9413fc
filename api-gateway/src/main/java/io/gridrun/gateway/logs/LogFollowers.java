package io.gridrun.gateway.logs;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.gateway.events.StatusTopicTail;
import io.gridrun.gateway.job.JobServiceClient;
import io.gridrun.storage.logs.StepLogStore;
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

  /** How long a follower waits for the stored mark after the step ended. */
  private static final Duration LATE_MARK = Duration.ofSeconds(5);

  private final StatusTopicTail statuses;
  private final JobServiceClient jobs;

  private final StepLogStore logs;

  LogFollowers(StatusTopicTail statuses, JobServiceClient jobs, StepLogStore logs) {
    this.statuses = statuses;
    this.jobs = jobs;
    this.logs = logs;
  }

  Flux<DataBuffer> follow(String runId, String stepId, Path file) {
    if (logs instanceof ArchivedStepLogStore archived) {
      return followArchived(archived, runId, stepId);
    }
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

  /**
   * No shared disk: a stored log at once; else the step's lines from the log topic until the runner
   * marks the log stored, or a while after the step ended without such a mark (its runner died).
   */
  private Flux<DataBuffer> followArchived(
      ArchivedStepLogStore archived, String runId, String stepId) {
    return Mono.fromCallable(() -> archived.fetched(runId, stepId))
        .subscribeOn(Schedulers.boundedElastic())
        .flatMapMany(
            stored ->
                stored
                    ? Flux.using(
                        () -> java.nio.file.Files.newInputStream(archived.pathOf(runId, stepId)),
                        in ->
                            org.springframework.core.io.buffer.DataBufferUtils.readInputStream(
                                () -> in, DefaultDataBufferFactory.sharedInstance, 8192),
                        in -> {
                          try {
                            in.close();
                          } catch (IOException ignored) {
                            // nothing left to release
                          }
                        })
                    : archived
                        .live()
                        .follow(runId, stepId)
                        .takeUntilOther(stepEnded(runId, stepId).delayElement(LATE_MARK))
                        .map(
                            bytes ->
                                (DataBuffer) DefaultDataBufferFactory.sharedInstance.wrap(bytes)));
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

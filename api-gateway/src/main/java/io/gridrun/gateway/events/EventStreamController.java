package io.gridrun.gateway.events;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * {@code GET /api/v1/events[?job=<id>]}: every status change as server-sent events. Each event's
 * {@code id} is a cursor over the status topic; reconnecting with {@code Last-Event-ID} resumes
 * right after it, without gaps or duplicates, on any gateway.
 */
@RestController
class EventStreamController {

  private final StatusTopicTail tail;
  private final StatusReplay replay;
  private final EventsProperties properties;

  private final java.util.concurrent.atomic.AtomicInteger clients =
      new java.util.concurrent.atomic.AtomicInteger();

  EventStreamController(
      StatusTopicTail tail,
      StatusReplay replay,
      EventsProperties properties,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.tail = tail;
    this.replay = replay;
    this.properties = properties;
    meters.gauge("gridrun.events.clients", clients);
  }

  @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<String>> events(
      @RequestParam(name = "job", required = false) String job,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(name = "lastEventId", required = false) String lastEventIdParam) {
    Flux<ServerSentEvent<String>> events =
        Flux.defer(
            () ->
                stream(
                    job,
                    Optional.ofNullable(lastEventId)
                        .or(() -> Optional.ofNullable(lastEventIdParam))));
    Flux<ServerSentEvent<String>> heartbeats =
        Flux.interval(properties.heartbeat())
            .map(i -> ServerSentEvent.<String>builder().comment("keep-alive").build());
    return events
        .publish(shared -> Flux.merge(shared, heartbeats.takeUntilOther(shared.then())))
        .doOnSubscribe(s -> clients.incrementAndGet())
        .doFinally(signal -> clients.decrementAndGet());
  }

  private Flux<ServerSentEvent<String>> stream(String job, Optional<String> lastEventId) {
    // Subscribe to live events first, into this client's bounded buffer, then look where the tail
    // is: whatever the replay below does not cover, the buffer holds.
    Sinks.Many<StatusRecord> buffer =
        Sinks.many()
            .unicast()
            .onBackpressureBuffer(Queues.<StatusRecord>get(properties.clientBuffer()).get());
    var subscription =
        tail.live()
            .subscribe(
                record -> {
                  if (buffer.tryEmitNext(record).isFailure()) {
                    buffer.tryEmitError(new ClientTooSlowException());
                  }
                });
    EventCursor live = tail.position();
    Optional<EventCursor> resume =
        lastEventId.flatMap(id -> EventCursor.parse(id, tail.partitions()));
    EventCursor start = resume.orElse(live);
    Flux<StatusRecord> history = resume.isPresent() ? replay.between(start, live) : Flux.empty();
    AtomicReference<EventCursor> cursor = new AtomicReference<>(start);
    return Flux.concat(history, buffer.asFlux())
        .<ServerSentEvent<String>>handle(
            (record, sink) -> {
              EventCursor before = cursor.get();
              if (!before.admits(record.partition(), record.offset())) {
                return; // already delivered before the reconnect, or by the replay
              }
              EventCursor after = before.after(record.partition(), record.offset());
              cursor.set(after);
              if (job == null || job.equals(record.jobId())) {
                sink.next(
                    ServerSentEvent.<String>builder()
                        .id(after.id())
                        .event(record.type())
                        .data(record.json())
                        .build());
              }
            })
        .onErrorResume(
            ClientTooSlowException.class,
            e ->
                Flux.just(
                    ServerSentEvent.<String>builder()
                        .id(cursor.get().id())
                        .event("dropped")
                        .data(
                            "{\"reason\":\"the client fell more than "
                                + properties.clientBuffer()
                                + " events behind; reconnect with Last-Event-ID to resume\"}")
                        .build()))
        .doFinally(signal -> subscription.dispose());
  }

  /** A client that does not read fast enough to keep its buffer from overflowing. */
  static class ClientTooSlowException extends RuntimeException {
    ClientTooSlowException() {
      super("client too slow", null, false, false);
    }
  }
}

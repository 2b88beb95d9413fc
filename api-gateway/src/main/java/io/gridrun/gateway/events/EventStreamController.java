package io.gridrun.gateway.events;

import io.gridrun.gateway.limits.StreamPermits;
import io.gridrun.platform.web.ApiProblem;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import reactor.util.retry.Retry;

/**
 * {@code GET /api/v1/events[?job=<id>]}: every status change as server-sent events. Each event's
 * {@code id} is a cursor over the status topic, prefixed with the log's epoch; reconnecting with
 * {@code Last-Event-ID} resumes right after it, without gaps or duplicates, on any gateway. A
 * cursor of another (older) log is answered with a {@code stream.reset} event, then the current
 * state, then live events (see {@link StreamResume}).
 */
@RestController
class EventStreamController {

  private final StatusTopicTail tail;
  private final StatusReplay replay;
  private final EventsProperties properties;
  private final StreamPermits permits;
  private final StreamResets resets;

  private final io.micrometer.core.instrument.Counter dropped;
  private final io.micrometer.core.instrument.Counter catchUps;
  private final java.util.concurrent.atomic.AtomicInteger clients =
      new java.util.concurrent.atomic.AtomicInteger();

  EventStreamController(
      StatusTopicTail tail,
      StatusReplay replay,
      EventsProperties properties,
      StreamPermits permits,
      StreamResets resets,
      io.micrometer.core.instrument.MeterRegistry meters) {
    this.permits = permits;
    this.resets = resets;
    this.tail = tail;
    this.replay = replay;
    this.properties = properties;
    meters.gauge("gridrun.events.clients", clients);
    this.dropped =
        io.micrometer.core.instrument.Counter.builder("gridrun.events.dropped")
            .description(
                "Event stream clients dropped because they stopped reading or fell too far behind")
            .register(meters);
    this.catchUps =
        io.micrometer.core.instrument.Counter.builder("gridrun.events.catch-ups")
            .description("Times a client fell behind its live buffer and caught up from the topic")
            .register(meters);
  }

  @GetMapping(path = "/api/v1/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<String>> events(
      @RequestParam(name = "job", required = false) String job,
      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
      @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
      ServerHttpRequest request) {
    StreamResume resume =
        StreamResume.of(
            Optional.ofNullable(lastEventId).or(() -> Optional.ofNullable(lastEventIdParam)),
            tail.epoch(),
            tail.position());
    if (resume instanceof StreamResume.From from
        && from.cursor().behind(tail.position()) > properties.maxReplay()) {
      throw new ApiProblem(
          HttpStatus.GONE,
          "Too far behind",
          "the Last-Event-ID is more than "
              + properties.maxReplay()
              + " events behind, the most a reconnecting client may replay"
              + " (gridrun.gateway.events.max-replay); connect without it to follow from now");
    }
    // The client's place in the topic is taken now, while its request is handled, before the
    // "connected" comment below can reach it: what is published after the client learns it is
    // connected is delivered, whichever thread subscribes to the answer and when.
    EventCursor start = resume instanceof StreamResume.From from ? from.cursor() : tail.position();
    Flux<ServerSentEvent<String>> events = Flux.defer(() -> stream(job, resume, start));
    Flux<ServerSentEvent<String>> heartbeats =
        Flux.interval(properties.heartbeat())
            .map(i -> ServerSentEvent.<String>builder().comment("keep-alive").build());
    return events
        // a small prefetch, so that what the stream sees asked for is close to what the client
        // asked for (the stall watch goes by it)
        // "connected": the response (its headers) goes out at once, not with the first event or
        // heartbeat, so the client knows it is connected (an EventSource opens); merged, not put
        // before, so the stream's place in the topic is still taken when the client subscribes
        .publish(
            shared ->
                Flux.merge(
                    Flux.just(ServerSentEvent.<String>builder().comment("connected").build()),
                    shared,
                    heartbeats.takeUntilOther(shared.then())),
            8)
        .doOnSubscribe(s -> clients.incrementAndGet())
        .doFinally(signal -> clients.decrementAndGet())
        .transform(stream -> permits.guard(request, stream));
  }

  private Flux<ServerSentEvent<String>> stream(String job, StreamResume resume, EventCursor start) {
    // Where this client stands: after the last event it was sent (at first its Last-Event-ID, or
    // the tail when its request came, for a new client and for one whose cursor is of another log,
    // told so first).
    AtomicReference<EventCursor> cursor = new AtomicReference<>(start);
    // where what went out to the client ends (events still queued inside this stream when it is
    // dropped do not count): the dropped event's id, from which a reconnect misses nothing
    AtomicReference<EventCursor> sent = new AtomicReference<>(start);
    Flux<Delivery> reset = Flux.empty();
    if (resume instanceof StreamResume.Reset why) {
      reset =
          resets
              .announce(job, why.reason(), tail.epoch(), StreamResume.id(tail.epoch(), start))
              .map(event -> new Delivery(start, event));
    }
    StallWatch watch = new StallWatch(properties.stallTimeout(), System.nanoTime());
    // what the client asked for and has not received yet: while there is some, it is not stalled
    java.util.concurrent.atomic.AtomicLong demand = new java.util.concurrent.atomic.AtomicLong();
    // how far behind it was at the last look: a client catching up (lag shrinking) is kept
    java.util.concurrent.atomic.AtomicLong lastLag = new java.util.concurrent.atomic.AtomicLong();
    Flux<Delivery> watchdog =
        Flux.interval(properties.stallTimeout().dividedBy(4))
            .<String>handle(
                (tick, sink) -> {
                  EventCursor position = tail.position();
                  EventCursor client = cursor.get();
                  if (watch.stalled(client, position, demand.get(), System.nanoTime())) {
                    sink.next(
                        "the client accepted no event for "
                            + properties.stallTimeout().toSeconds()
                            + "s while events waited");
                  } else if (client != null && tooFarBehind(client.behind(position), lastLag)) {
                    sink.next(
                        "the client fell more than "
                            + properties.maxLag()
                            + " events behind (gridrun.gateway.events.max-lag)");
                  }
                })
            .next()
            .flatMap(reason -> Mono.<Delivery>error(new ClientDroppedException(reason)))
            .flux();
    // fell behind its live buffer: start over from its cursor, catching up from the topic (the
    // reset, announced once, is not repeated)
    Flux<Delivery> events =
        Flux.defer(() -> streamFrom(job, cursor))
            .retryWhen(
                Retry.indefinitely()
                    .filter(ClientBehindException.class::isInstance)
                    .doBeforeRetry(signal -> catchUps.increment()));
    return reset
        .concatWith(events)
        .mergeWith(watchdog)
        .doOnNext(delivery -> sent.set(delivery.after()))
        .<ServerSentEvent<String>>handle(
            (delivery, sink) -> {
              if (delivery.event() != null) {
                sink.next(delivery.event());
              }
            })
        .onErrorResume(
            ClientDroppedException.class,
            e -> {
              dropped.increment();
              return Flux.just(
                  ServerSentEvent.<String>builder()
                      .id(StreamResume.id(tail.epoch(), sent.get()))
                      .event("dropped")
                      .data(
                          "{\"reason\":\""
                              + e.getMessage()
                              + "; reconnect with Last-Event-ID to resume\"}")
                      .build());
            })
        .doOnRequest(n -> demand.accumulateAndGet(n, (had, more) -> saturatedSum(had, more)))
        .doOnNext(event -> demand.updateAndGet(had -> had == Long.MAX_VALUE ? had : had - 1));
  }

  /** Beyond the maximum lag and not catching up since the last look. */
  private boolean tooFarBehind(long lag, java.util.concurrent.atomic.AtomicLong lastLag) {
    long before = lastLag.getAndSet(lag);
    return lag > properties.maxLag() && lag >= before;
  }

  private static long saturatedSum(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  /**
   * Live events from now on, preceded by a replay from the topic of whatever lies between the
   * client's cursor and the tail. Fails with {@link ClientBehindException} when the client's live
   * buffer overflows.
   */
  private Flux<Delivery> streamFrom(String job, AtomicReference<EventCursor> cursor) {
    // Subscribe to live events first, into this client's bounded buffer, then look where the tail
    // is: whatever the replay below does not cover, the buffer holds.
    Sinks.Many<StatusRecord> buffer =
        Sinks.many()
            .unicast()
            .onBackpressureBuffer(Queues.<StatusRecord>get(properties.clientBuffer()).get());
    Disposable subscription =
        tail.live()
            .subscribe(
                record -> {
                  if (buffer.tryEmitNext(record).isFailure()) {
                    buffer.tryEmitError(new ClientBehindException());
                  }
                });
    EventCursor live = tail.position();
    EventCursor start = cursor.get();
    Flux<StatusRecord> history = start.reached(live) ? Flux.empty() : replay.between(start, live);
    return Flux.concat(history, buffer.asFlux())
        .doFinally(signal -> subscription.dispose())
        .handle(
            (record, sink) -> {
              EventCursor before = cursor.get();
              if (!before.admits(record.partition(), record.offset())) {
                return; // already delivered before the reconnect, or by the replay
              }
              EventCursor after = before.after(record.partition(), record.offset());
              cursor.set(after);
              sink.next(
                  new Delivery(
                      after,
                      job == null || job.equals(record.jobId())
                          ? ServerSentEvent.<String>builder()
                              .id(StreamResume.id(tail.epoch(), after))
                              .event(record.type())
                              .data(record.json())
                              .build()
                          : null));
            });
  }

  /**
   * A record passed on towards the client: the cursor after it, and its event (none for another
   * job's record, which moves the cursor all the same).
   */
  private record Delivery(EventCursor after, ServerSentEvent<String> event) {}

  /** A client whose live buffer overflowed; it catches up from the topic. */
  static class ClientBehindException extends RuntimeException {
    ClientBehindException() {
      super("client behind", null, false, false);
    }
  }

  /** A client that stopped reading, or reads too slowly to keep up. */
  static class ClientDroppedException extends RuntimeException {
    ClientDroppedException(String reason) {
      super(reason, null, false, false);
    }
  }
}

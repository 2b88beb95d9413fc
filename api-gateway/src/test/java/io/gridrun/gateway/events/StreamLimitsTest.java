package io.gridrun.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.gridrun.gateway.config.LimitsProperties;
import io.gridrun.gateway.limits.StreamPermits;
import io.gridrun.platform.web.ApiProblem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** Caps on event streams: open streams per client, and how far back a reconnect may replay. */
class StreamLimitsTest {

  private final StatusTopicTail tail = mock(StatusTopicTail.class);
  private final StatusReplay replay = mock(StatusReplay.class);
  private final StreamPermits permits =
      new StreamPermits(new LimitsProperties(4096, Duration.ofDays(30), 3, 100_000));

  private EventStreamController controller(long maxReplay) {
    when(tail.partitions()).thenReturn(3);
    when(tail.position()).thenReturn(EventCursor.of(400, 400, 400));
    when(tail.live()).thenReturn(Flux.never());
    when(replay.between(any(), any())).thenReturn(Flux.never());
    return new EventStreamController(
        tail,
        replay,
        new EventsProperties(50, Duration.ofSeconds(30), Duration.ofSeconds(15), 1000, maxReplay),
        permits,
        mock(StreamResets.class),
        new SimpleMeterRegistry());
  }

  private static MockServerHttpRequest request(String token) {
    return MockServerHttpRequest.get("/api/v1/events")
        .header("Authorization", "Bearer " + token)
        .build();
  }

  @Test
  void aClientHoldsAtMostTheConfiguredNumberOfStreamsAndGetsOneBackWhenItClosesOne() {
    List<Disposable> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      open.add(permits.guard(request("a"), Flux.never()).subscribe());
    }
    assertThatThrownBy(() -> permits.guard(request("a"), Flux.never()))
        .isInstanceOfSatisfying(
            ApiProblem.class,
            p -> {
              assertThat(p.getStatusCode().value()).isEqualTo(429);
              assertThat(p.getBody().getDetail())
                  .contains("gridrun.gateway.limits.max-streams-per-client");
            });
    // another client is counted on its own
    permits.guard(request("b"), Flux.never()).subscribe().dispose();

    open.remove(0).dispose();
    open.add(permits.guard(request("a"), Flux.never()).subscribe());
    assertThat(permits.openFor(request("a"))).isEqualTo(3);
    open.forEach(Disposable::dispose);
    assertThat(permits.openFor(request("a"))).isZero();
  }

  @Test
  void theEventStreamCountsAgainstThePermits() {
    EventStreamController controller = controller(100_000);
    List<Disposable> open = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      open.add(controller.events(null, null, null, request("c")).subscribe());
    }
    assertThatThrownBy(() -> controller.events(null, null, null, request("c")))
        .isInstanceOf(ApiProblem.class)
        .hasMessageContaining("max-streams-per-client");
    open.forEach(Disposable::dispose);
  }

  @Test
  void aLastEventIdFurtherBackThanTheReplayLimitIsGone() {
    EventStreamController controller = controller(1000);

    // 3 × 400 = 1200 events behind the tail
    assertThatThrownBy(() -> controller.events(null, "0.0.0", null, request("d")))
        .isInstanceOfSatisfying(
            ApiProblem.class,
            p -> {
              assertThat(p.getStatusCode().value()).isEqualTo(410);
              assertThat(p.getBody().getDetail()).contains("gridrun.gateway.events.max-replay");
            });
    // 600 behind: replayed
    Disposable replaying = controller.events(null, "200.200.200", null, request("d")).subscribe();
    assertThat(permits.openFor(request("d"))).isEqualTo(1);
    verify(replay).between(EventCursor.of(200, 200, 200), EventCursor.of(400, 400, 400));
    replaying.dispose();
    assertThat(permits.openFor(request("d"))).isZero();
  }
}

package io.gridrun.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StallWatchTest {

  private static final long SECOND = 1_000_000_000L;

  private final StallWatch watch = new StallWatch(Duration.ofSeconds(3), 0);

  @Test
  void aClientWhoseCursorStaysBehindTheTailLongerThanTheTimeoutIsStalled() {
    EventCursor client = EventCursor.of(5, 0);
    EventCursor tail = EventCursor.of(9, 0);

    assertThat(watch.stalled(client, tail, 0, 0)).isFalse();
    assertThat(watch.stalled(client, tail, 0, 2 * SECOND)).isFalse();
    assertThat(watch.stalled(client, tail, 0, 4 * SECOND)).isTrue();
  }

  @Test
  void aClientThatKeepsMovingIsNeverStalledHoweverFarBehind() {
    EventCursor tail = EventCursor.of(1000, 0);

    for (int second = 0; second < 20; second++) {
      assertThat(watch.stalled(EventCursor.of(second, 0), tail, 0, second * 2 * SECOND)).isFalse();
    }
  }

  @Test
  void anIdleClientWithNothingToReadIsNeverStalled() {
    EventCursor cursor = EventCursor.of(7, 3);

    assertThat(watch.stalled(cursor, cursor, 0, 0)).isFalse();
    assertThat(watch.stalled(cursor, cursor, 0, 60 * SECOND)).isFalse();
  }

  @Test
  void waitingStartsCountingWhenEventsArriveNotWhenTheClientLastMoved() {
    EventCursor cursor = EventCursor.of(7, 3);
    watch.stalled(cursor, cursor, 0, 0);

    EventCursor tail = EventCursor.of(8, 3);
    assertThat(watch.stalled(cursor, tail, 0, 60 * SECOND)).isFalse();
    assertThat(watch.stalled(cursor, tail, 0, 62 * SECOND)).isFalse();
    assertThat(watch.stalled(cursor, tail, 0, 64 * SECOND)).isTrue();
  }

  @Test
  void aClientWaitingForEventsItAskedForIsNotStalledWhileTheServerFetchesThem() {
    EventCursor client = EventCursor.of(5, 0);
    EventCursor tail = EventCursor.of(9, 0);

    assertThat(watch.stalled(client, tail, 3, 0)).isFalse();
    assertThat(watch.stalled(client, tail, 3, 60 * SECOND)).isFalse();
    // once what it asked for was delivered and it asks for no more, the clock starts
    assertThat(watch.stalled(client, tail, 0, 61 * SECOND)).isFalse();
    assertThat(watch.stalled(client, tail, 0, 65 * SECOND)).isTrue();
  }
}

package io.gridrun.job.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.job.application.EventBatch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;

class JobEventsListenerTest {

  /** Each event takes 100 ms of this clock to apply. */
  private final TickingClock clock = new TickingClock();

  private final List<RecordingBatch> batches = new ArrayList<>();

  @Test
  void aPollIsHandledInBatchesClosedOnceTheyHaveBeenOpenTheMaximumTime() {
    JobEventsListener listener = listener(Duration.ofMillis(250));

    listener.on(records(7));

    // 100 ms per event: a batch closes after its third event (300 ms >= 250 ms)
    assertThat(batches)
        .extracting(b -> b.runs)
        .containsExactly(List.of("r0", "r1", "r2"), List.of("r3", "r4", "r5"), List.of("r6"));
    assertThat(batches).allMatch(b -> b.closed);
  }

  @Test
  void whatIsKeptOfJobsIsDroppedWhenPartitionsAreAssignedRevokedOrLost() {
    List<String> moves = new ArrayList<>();
    JobEventsListener listener =
        new JobEventsListener(
            () -> new RecordingBatch(false),
            () -> moves.add("moved"),
            clock,
            Duration.ofSeconds(1));
    TopicPartition partition = new TopicPartition("gridrun.execution", 3);

    listener.onPartitionsAssigned(java.util.Map.of(partition, 0L), null);
    listener.onPartitionsRevoked(List.of(partition));

    assertThat(moves).hasSize(2);
  }

  @Test
  void aPollOfQuickEventsIsOneBatch() {
    JobEventsListener listener = listener(Duration.ofSeconds(10));

    listener.on(records(7));

    assertThat(batches).hasSize(1);
    assertThat(batches.get(0).runs).hasSize(7);
  }

  @Test
  void aFailedEventEndsItsBatchAndIsRetriedFromItsPlaceInThePoll() {
    JobEventsListener listener = listener(Duration.ofMillis(250));
    List<ConsumerRecord<String, String>> records = records(7);
    records.set(4, new ConsumerRecord<>("gridrun.execution", 0, 4, "j1", "not json"));

    assertThatThrownBy(() -> listener.on(records))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class, e -> assertThat(e.getIndex()).isEqualTo(4));

    // the events before it are applied and their batches closed (saved), nothing after it
    assertThat(batches)
        .extracting(b -> b.runs)
        .containsExactly(List.of("r0", "r1", "r2"), List.of("r3"));
    assertThat(batches).allMatch(b -> b.closed);
  }

  @Test
  void aBatchWhoseCloseFailsIsRetriedFromItsFirstEventAndTheBatchesBeforeItStand() {
    JobEventsListener listener =
        new JobEventsListener(
            () -> {
              RecordingBatch batch = new RecordingBatch(batches.size() == 1);
              batches.add(batch);
              return batch;
            },
            () -> {},
            clock,
            Duration.ofMillis(250));

    assertThatThrownBy(() -> listener.on(records(7)))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class, e -> assertThat(e.getIndex()).isEqualTo(3));
    assertThat(batches).hasSize(2);
  }

  private JobEventsListener listener(Duration batchMaxTime) {
    return new JobEventsListener(
        () -> {
          RecordingBatch batch = new RecordingBatch(false);
          batches.add(batch);
          return batch;
        },
        () -> {},
        clock,
        batchMaxTime);
  }

  private static List<ConsumerRecord<String, String>> records(int count) {
    return new ArrayList<>(
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    new ConsumerRecord<>(
                        "gridrun.execution",
                        0,
                        i,
                        "j1",
                        EventCodec.encode(
                            new RunHeartbeat(
                                "e" + i, "j1", "r" + i, Instant.EPOCH, 1, "runner-1"))))
            .toList());
  }

  private final class RecordingBatch implements EventBatch {

    private final List<String> runs = new ArrayList<>();
    private final boolean failsToClose;
    private boolean closed;

    RecordingBatch(boolean failsToClose) {
      this.failsToClose = failsToClose;
    }

    @Override
    public void apply(GridrunEvent event) {
      clock.advance(Duration.ofMillis(100));
      runs.add(((RunHeartbeat) event).runId());
    }

    @Override
    public void close() {
      closed = true;
      if (failsToClose) {
        throw new IllegalStateException("the database is away");
      }
    }
  }

  private static final class TickingClock extends Clock {

    private Instant now = Instant.parse("2026-12-02T00:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

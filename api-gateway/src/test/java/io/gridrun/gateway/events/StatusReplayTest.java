package io.gridrun.gateway.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.gateway.GatewayIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import reactor.core.publisher.BaseSubscriber;

@GatewayIntegrationTest
class StatusReplayTest extends GatewayIntegrationTest.WithMongo {

  @Autowired StatusReplay replay;

  @Autowired StatusTopicTail tail;

  /** This context's broker (the system property names the broker started last, maybe another's). */
  @Autowired EmbeddedKafkaBroker broker;

  /**
   * The replay reads in a blocking loop on a worker of its own and waits there for demand: demand
   * asked for from any other thread (the HTTP connection's, as the client reads) must reach it at
   * once. Scheduled onto that busy worker, it waited behind the loop, which waited for it: CI's
   * reading client that caught up from the topic hung for good.
   */
  @Test
  void aReplayLongerThanOnePollGoesOnWhenItsReaderAsksForMoreFromAnotherThread() {
    EventCursor from = tail.position();
    StatusEvents.publish(broker, "job-replay", 1200, "x".repeat(2000));
    Awaitility.await().until(() -> from.behind(tail.position()) >= 1200);
    EventCursor until = tail.position();

    List<String> received = new CopyOnWriteArrayList<>();
    AtomicBoolean complete = new AtomicBoolean();
    BaseSubscriber<StatusRecord> reader =
        new BaseSubscriber<>() {
          @Override
          protected void hookOnSubscribe(Subscription subscription) {
            // asks for nothing yet: every request below comes from the test's thread
          }

          @Override
          protected void hookOnNext(StatusRecord record) {
            received.add(record.jobId());
          }

          @Override
          protected void hookOnComplete() {
            complete.set(true);
          }
        };
    replay.between(from, until).subscribe(reader);
    try {
      reader.request(1);
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1);
      // one poll returns at most 500 records and 1 MiB of a partition (2.4 MiB here): the rest
      // needs demand in the loop
      reader.request(1199);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> received.size() == 1200 && complete.get());
    } finally {
      reader.dispose();
    }
    assertThat(received).containsOnly("job-replay");
  }
}

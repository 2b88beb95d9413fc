package io.gridrun.runner.messaging;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.TestRuns;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

/**
 * The listener's hand-over: it returns (and its container commits the request) only once a slot has
 * taken the run for good, so a runner killed before that leaves the request on the queue.
 */
class RunRequestListenerTest {

  private final RunRequested run = TestRuns.run("m", pipeline(step("a")));

  @Test
  void aRequestIsHandedOverOnlyOnceItsSlotHasTakenTheRun() throws Exception {
    CountDownLatch publishRunStarted = new CountDownLatch(1);
    CountDownLatch end = new CountDownLatch(1);
    RunSlots slots =
        new RunSlots(
            1,
            (r, taken) -> {
              RunSlotsTest.awaitQuietly(publishRunStarted); // run.started on its way to the broker
              taken.run();
              RunSlotsTest.awaitQuietly(end);
            });
    RunRequestListener listener =
        new RunRequestListener(slots, new KafkaListenerEndpointRegistry(), null);
    AtomicBoolean returned = new AtomicBoolean();
    Thread consumer =
        new Thread(
            () -> {
              try {
                listener.on(EventCodec.encode(run));
                returned.set(true);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    consumer.start();

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> !returned.get());
    publishRunStarted.countDown();
    await().atMost(Duration.ofSeconds(10)).untilTrue(returned);
    assertThat(slots.busy()).as("the run goes on after the hand-over").isEqualTo(1);

    end.countDown();
    consumer.join(10_000);
    slots.shutdown(Duration.ofSeconds(5), () -> {});
  }
}

package io.gridrun.runner;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.execution.Cancellations;
import io.gridrun.runner.lease.AttemptsInFlight;
import io.gridrun.runner.lease.Heartbeats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** When a slot's request counts as taken, and which requests it executes. */
class SlotExecutionTest {

  private final RunRequested first = TestRuns.run("m", pipeline(step("a")));
  private final RunRequested second = TestRuns.attempt(first, 2, Duration.ofSeconds(30));
  private final AttemptsInFlight inFlight = new AttemptsInFlight();
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final SlotExecution slot =
      new SlotExecution(
          (run, started) -> {
            log.add("run.started " + run.attempt());
            started.run();
            log.add("ended " + run.attempt());
          },
          inFlight,
          new Heartbeats(
              inFlight,
              new Cancellations(),
              event -> CompletableFuture.completedFuture(null),
              "runner-a",
              Duration.ofSeconds(10),
              Clock.systemUTC()),
          Clock.systemUTC());

  @Test
  void aRequestIsTakenWhenItsRunStartedIsPublished() {
    slot.execute(first, () -> log.add("taken"));

    assertThat(log).containsExactly("run.started 1", "taken", "ended 1");
  }

  @Test
  void aRequestWaitingForAnEarlierAttemptAdoptedHereIsTakenWhileItWaits() throws Exception {
    inFlight.beginIfAbsent(first, Instant.now()); // adopted: its containers are followed here
    AtomicBoolean taken = new AtomicBoolean();
    Thread slotThread = new Thread(() -> slot.execute(second, () -> taken.set(true)));
    slotThread.start();

    await().atMost(Duration.ofSeconds(5)).untilTrue(taken);
    assertThat(log).as("the second attempt waits for the first").isEmpty();

    inFlight.end(first);
    slotThread.join(10_000);
    assertThat(log).containsExactly("run.started 2", "ended 2");
  }

  @Test
  void anAttemptInFlightHereAlreadyIsNotExecutedAgain() {
    inFlight.beginIfAbsent(first, Instant.now());

    slot.execute(first, () -> log.add("taken"));

    assertThat(log).isEmpty();
  }
}

package io.gridrun.runner.messaging;

import static io.gridrun.runner.TestRuns.pipeline;
import static io.gridrun.runner.TestRuns.step;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.RunRequested;
import io.gridrun.runner.TestRuns;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RunSlotsTest {

  private final RunRequested run = TestRuns.run("m", pipeline(step("a")));

  @Test
  void isFullWhileEverySlotRunsAndSaysSoWhenOneFrees() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch freed = new CountDownLatch(2);
    AtomicInteger fullWhenFreed = new AtomicInteger(-1);
    RunSlots slots =
        new RunSlots(
            2,
            (r, taken) -> {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    slots.onSlotFreed(
        () -> {
          fullWhenFreed.compareAndSet(-1, slots.full() ? 1 : 0);
          freed.countDown();
        });

    slots.submit(run);
    assertThat(slots.full()).isFalse();
    slots.submit(run);
    assertThat(slots.full()).isTrue();
    assertThat(slots.busy()).isEqualTo(2);

    release.countDown();
    assertThat(freed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(fullWhenFreed.get()).as("the slot is free when the callback runs").isZero();
    assertThat(slots.busy()).isZero();
    slots.shutdown(Duration.ofSeconds(5), () -> {});
  }

  @Test
  void aRunThatThrowsStillFreesItsSlot() throws Exception {
    CountDownLatch freed = new CountDownLatch(1);
    RunSlots slots =
        new RunSlots(
            1,
            (r, taken) -> {
              throw new IllegalStateException("boom");
            });
    slots.onSlotFreed(freed::countDown);

    slots.submit(run);

    assertThat(freed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(slots.full()).isFalse();
    slots.shutdown(Duration.ofSeconds(5), () -> {});
  }

  @Test
  void shutdownWaitsForRunsUpToTheDrainTimeoutAndThenGivesTheRestUp() throws Exception {
    CountDownLatch givenUp = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean finishedBeforeGivingUp =
        new java.util.concurrent.atomic.AtomicBoolean();
    RunSlots slots =
        new RunSlots(
            2,
            (r, taken) -> {
              try {
                // a run that only ends when it is given up, like a step killed by it
                finishedBeforeGivingUp.set(!givenUp.await(30, TimeUnit.SECONDS));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    slots.submit(run);

    long start = System.nanoTime();
    slots.shutdown(Duration.ofMillis(500), givenUp::countDown);

    assertThat(givenUp.getCount()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    assertThat(finishedBeforeGivingUp).isFalse();
    assertThat(slots.busy()).isZero();
  }

  @Test
  void aRunIsTakenWhenItsExecutionSaysSoLongBeforeItEnds() throws Exception {
    CountDownLatch end = new CountDownLatch(1);
    RunSlots slots =
        new RunSlots(
            1,
            (r, taken) -> {
              taken.run();
              awaitQuietly(end);
            });

    CompletableFuture<Void> taken = slots.submit(run);

    taken.get(10, TimeUnit.SECONDS);
    assertThat(slots.busy()).as("the run still executes").isEqualTo(1);
    end.countDown();
    slots.shutdown(Duration.ofSeconds(5), () -> {});
  }

  @Test
  void aRunIsNotTakenBeforeItsExecutionSaysSoAndIsWhenTheExecutionEndsWithoutSaying()
      throws Exception {
    CountDownLatch end = new CountDownLatch(1);
    RunSlots slots = new RunSlots(1, (r, taken) -> awaitQuietly(end));

    CompletableFuture<Void> taken = slots.submit(run);

    assertThatThrownBy(() -> taken.get(300, TimeUnit.MILLISECONDS))
        .isInstanceOf(TimeoutException.class);
    end.countDown();
    taken.get(10, TimeUnit.SECONDS);
    slots.shutdown(Duration.ofSeconds(5), () -> {});
  }

  @Test
  void aRunWhoseExecutionThrowsBeforeSayingSoIsTakenAllTheSame() throws Exception {
    RunSlots slots =
        new RunSlots(
            1,
            (r, taken) -> {
              throw new IllegalStateException("the broker is away");
            });

    slots.submit(run).get(10, TimeUnit.SECONDS);
    slots.shutdown(Duration.ofSeconds(5), () -> {});
  }

  /** Waits for the latch (at most 30 s) on a slot's thread, which cannot throw. */
  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

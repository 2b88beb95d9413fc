package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A child's kill-on-exit hook runs beside the stack's orderly stop (the JVM starts every shutdown
 * hook at once): it must not kill the database while the services still use it.
 */
class OrderlyStopTest {

  @AfterEach
  void noStopRegistered() {
    OrderlyStop.done();
  }

  @Test
  void aKillHookWaitsForARegisteredOrderlyStopToEnd() throws Exception {
    OrderlyStop.register();
    AtomicBoolean killed = new AtomicBoolean();
    Thread hook = OrderlyStop.killHook(() -> killed.set(true), "kill-test");
    hook.start();

    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !killed.get());
    assertThat(hook.isAlive()).as("still waiting for the orderly stop").isTrue();

    OrderlyStop.done();
    hook.join(5_000);
    assertThat(killed).isTrue();
  }

  @Test
  void withNoOrderlyStopRegisteredAKillHookKillsAtOnce() throws Exception {
    AtomicBoolean killed = new AtomicBoolean();
    Thread hook = OrderlyStop.killHook(() -> killed.set(true), "kill-test");
    hook.start();
    hook.join(5_000);
    assertThat(killed).isTrue();
  }
}

package io.gridrun.local;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets the kill-on-exit hooks of the stack's child processes wait while the stack stops in order.
 * The JVM runs its shutdown hooks at the same time, so on Ctrl-C the database's process was killed
 * at once, while job-service still ran: its listener then waited 30 s for the database (the
 * driver's server selection), and {@code ./gridrun local} took 40 s to stop when idle. With an
 * orderly stop registered, a kill hook waits for it (bounded) and kills only what is left.
 */
final class OrderlyStop {

  /** Long enough for every service to stop; a stop that hangs beyond it is cut short. */
  static final Duration MAX = Duration.ofSeconds(60);

  private static volatile CountDownLatch registered;

  private OrderlyStop() {}

  /** A shutdown hook will stop the stack in order: kill hooks wait for {@link #done()}. */
  static void register() {
    registered = new CountDownLatch(1);
  }

  /** The orderly stop ended (or failed): kill hooks go ahead. */
  static void done() {
    CountDownLatch latch = registered;
    registered = null;
    if (latch != null) {
      latch.countDown();
    }
  }

  /** Kills with {@code kill} once no orderly stop is under way (at most {@link #MAX} later). */
  static Thread killHook(Runnable kill, String name) {
    return new Thread(
        () -> {
          CountDownLatch latch = registered;
          if (latch != null) {
            try {
              latch.await(MAX.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          kill.run();
        },
        name);
  }
}

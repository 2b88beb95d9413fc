package io.gridrun.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Stops a benchmark's stack in the background once its figures are taken: a stack takes 10 to 35 s
 * to stop (Kafka consumers leaving their groups, child JVMs shutting down), time that the next
 * stack's start, measuring nothing, can share: its broker, database and child JVMs. {@link
 * #awaitAll()} comes before the next stack's services start in this JVM (services started while
 * another stack of this JVM stopped could not reach each other: the gateway answered 503, as the
 * stacks share Reactor Netty's global resources, which a stopping stack disposes) and before
 * anything is measured, so that no stopping stack runs beside a figure on a 2-core machine.
 */
final class Stops {

  private static final List<Thread> PENDING = new ArrayList<>();

  private Stops() {}

  /** Closes {@code parts} in this order on a thread of its own; null parts are skipped. */
  static synchronized void later(String what, AutoCloseable... parts) {
    Thread stop =
        new Thread(
            () -> {
              for (AutoCloseable part : parts) {
                try {
                  if (part != null) {
                    part.close();
                  }
                } catch (Exception e) {
                  System.err.println("bench: stopping " + what + ": " + e);
                }
              }
            },
            "stop-" + what);
    stop.start();
    PENDING.add(stop);
  }

  /** Returns once every stack handed to {@link #later} has stopped. */
  static void awaitAll() throws InterruptedException {
    List<Thread> pending;
    synchronized (Stops.class) {
      pending = List.copyOf(PENDING);
      PENDING.clear();
    }
    for (Thread stop : pending) {
      stop.join();
    }
    if (!pending.isEmpty()) {
      Phases.mark("waited for the previous stack to stop");
    }
  }
}

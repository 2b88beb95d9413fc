package io.gridrun.local;

import java.util.concurrent.Callable;

/** How the local stack starts each of its parts (broker, database, service). */
final class StartedParts {

  private StartedParts() {}

  /**
   * Starts a part of the stack: tells the listener, and marks the threads it starts as its own so
   * that their logging goes to its log (see {@link ServiceLogs}).
   */
  static <T> T as(StartListener listener, String part, Callable<T> action) {
    listener.starting(part);
    try {
      return ServiceLogs.as(part, action);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(part + " did not start: " + e.getMessage(), e);
    }
  }

  static void as(StartListener listener, String part, Runnable action) {
    as(
        listener,
        part,
        () -> {
          action.run();
          return null;
        });
  }
}

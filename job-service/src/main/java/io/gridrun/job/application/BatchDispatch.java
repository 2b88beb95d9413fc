package io.gridrun.job.application;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dispatches that ended runs ask for while a batch of events is open on this thread: each job's
 * dispatch runs once, when the batch closes, instead of once per ended run. With no batch open on
 * the thread (a use case called on its own, off the event handler's batch), a dispatch runs at
 * once: a deferral only ever lives inside a scope that its own {@code close} ends, so it cannot be
 * left unflushed.
 */
final class BatchDispatch {

  private static final ThreadLocal<Map<String, Runnable>> OPEN = new ThreadLocal<>();

  private BatchDispatch() {}

  /** A scope that defers dispatches until it closes; within an open one, a scope that adds none. */
  static Scope open() {
    if (OPEN.get() != null) {
      return () -> {};
    }
    OPEN.set(new LinkedHashMap<>());
    return BatchDispatch::close;
  }

  /** Whether a batch is open on this thread (dispatches are deferred to its end). */
  static boolean isOpen() {
    return OPEN.get() != null;
  }

  /**
   * Runs {@code dispatch} at the end of this thread's open batch (once for the job, the first one
   * asked for: it reads the job when it runs), or now if no batch is open.
   */
  static void request(String jobId, Runnable dispatch) {
    Map<String, Runnable> due = OPEN.get();
    if (due == null) {
      dispatch.run();
    } else {
      due.putIfAbsent(jobId, dispatch);
    }
  }

  /**
   * Ends the batch, then runs its dispatches, each even if one before it failed (the first failure
   * is thrown after them, with the others suppressed).
   */
  private static void close() {
    Map<String, Runnable> due = OPEN.get();
    OPEN.remove();
    RuntimeException failed = null;
    for (Runnable dispatch : due.values()) {
      try {
        dispatch.run();
      } catch (RuntimeException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  /** A batch's scope: closing it runs what it deferred. */
  interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}

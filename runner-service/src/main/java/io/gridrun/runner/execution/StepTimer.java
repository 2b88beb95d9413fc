package io.gridrun.runner.execution;

import io.gridrun.runner.runtime.StepHandle;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Kills steps that run past their timeout or their run's timeout. One thread for all runs. */
final class StepTimer {

  /** Which limit ended a step, if any. */
  enum Expiry {
    NONE,
    STEP_TIMEOUT,
    RUN_TIMEOUT
  }

  /** The kill scheduled for one running attempt. */
  static final class Alarm {
    private final AtomicReference<Expiry> fired = new AtomicReference<>(Expiry.NONE);
    private volatile ScheduledFuture<?> future;

    /** Stops the alarm; what fired before stays fired. */
    void disarm() {
      ScheduledFuture<?> f = future;
      if (f != null) {
        f.cancel(false);
      }
    }

    Expiry expiry() {
      return fired.get();
    }
  }

  private final ScheduledThreadPoolExecutor scheduler;

  StepTimer() {
    scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "step-timer");
              t.setDaemon(true);
              return t;
            });
    // no thread while no step has a limit; cancelled alarms do not pile up
    scheduler.setKeepAliveTime(10, TimeUnit.SECONDS);
    scheduler.allowCoreThreadTimeOut(true);
    scheduler.setRemoveOnCancelPolicy(true);
  }

  /**
   * Kills {@code handle} when the earlier of the two limits (each measured from now) passes; a tie
   * counts as the run's timeout.
   */
  Alarm arm(StepHandle handle, Optional<Duration> stepLimit, Optional<Duration> runRemaining) {
    Alarm alarm = new Alarm();
    Expiry cause;
    Duration delay;
    if (runRemaining.isPresent()
        && (stepLimit.isEmpty() || runRemaining.get().compareTo(stepLimit.get()) <= 0)) {
      cause = Expiry.RUN_TIMEOUT;
      delay = runRemaining.get();
    } else if (stepLimit.isPresent()) {
      cause = Expiry.STEP_TIMEOUT;
      delay = stepLimit.get();
    } else {
      return alarm;
    }
    alarm.future =
        scheduler.schedule(
            () -> {
              alarm.fired.set(cause);
              handle.kill();
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
    return alarm;
  }
}

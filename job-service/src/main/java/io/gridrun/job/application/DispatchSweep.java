package io.gridrun.job.application;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.domain.port.WaitingJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes jobs whose runs wait for the fleet's run cap. A run that ends frees its slot on the thread
 * of its own job, but the waiting runs may belong to any job, whose events another thread (or
 * instance) handles; so when slots are free, this publishes a {@code DISPATCH} command to each
 * waiting job, longest waiting first, and the job dispatches on its own thread, in order with its
 * other events. Redundant commands (two instances, a job woken twice) dispatch nothing extra.
 */
@Component
class DispatchSweep {

  private static final Logger log = LoggerFactory.getLogger(DispatchSweep.class);
  private static final int BATCH = 100;
  private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(2);

  private final RunCapacity capacity;
  private final WaitingJobs waiting;
  private final Outbox outbox;
  private final Clock clock;
  private final RecentCommands woken = new RecentCommands(REPUBLISH_AFTER);

  DispatchSweep(RunCapacity capacity, WaitingJobs waiting, Outbox outbox, Clock clock) {
    this.capacity = capacity;
    this.waiting = waiting;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${gridrun.jobs.dispatch-sweep:1s}")
  void sweep() {
    if (!capacity.limited()) {
      return;
    }
    Instant now = clock.instant();
    try {
      long free = capacity.free();
      if (free <= 0) {
        return;
      }
      for (String jobId : waiting.oldestFirst((int) Math.min(BATCH, free))) {
        if (woken.due(jobId, now)) {
          outbox.sendAndWait(
              new JobControlRequested(
                  UUID.randomUUID().toString(), jobId, now, Action.DISPATCH, null, null));
          woken.sent(jobId, now);
        }
      }
      woken.forgetOld(now);
    } catch (RuntimeException e) {
      log.warn("Waking jobs that wait for the run cap failed; trying again on the next sweep", e);
    }
  }
}

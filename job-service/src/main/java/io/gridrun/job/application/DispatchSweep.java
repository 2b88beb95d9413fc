package io.gridrun.job.application;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.domain.port.WaitingJobs;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Wakes jobs whose runs wait for the fleet's run cap, and every started job that may request runs
 * now ({@link #recheck}). A run that ends frees its slot on the thread of its own job, but the
 * waiting runs may belong to any job, whose events another thread (or instance) handles; so when
 * slots are free, this publishes a {@code DISPATCH} command to each waiting job, longest waiting
 * first, and the job dispatches on its own thread, in order with its other events. Redundant
 * commands (two instances, a job woken twice) dispatch nothing extra.
 */
@Component
class DispatchSweep {

  private static final Logger log = LoggerFactory.getLogger(DispatchSweep.class);
  private static final int BATCH = 100;
  private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(2);

  private final Jobs jobs;
  private final RunCapacity capacity;
  private final WaitingJobs waiting;
  private final Outbox outbox;
  private final Clock clock;
  private final RecentCommands woken = new RecentCommands(REPUBLISH_AFTER);

  DispatchSweep(Jobs jobs, RunCapacity capacity, WaitingJobs waiting, Outbox outbox, Clock clock) {
    this.jobs = jobs;
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
        wake(jobId, now);
      }
      woken.forgetOld(now);
    } catch (RuntimeException e) {
      log.warn("Waking jobs that wait for the run cap failed; trying again on the next sweep", e);
    }
  }

  /**
   * Tells every started job that may request runs now to request them: a chunk whose publish or
   * cursor save failed (the broker or the database was away) is requested again without waiting for
   * another event of its job. Jobs that wait for the fleet's cap are left to {@link #sweep}, which
   * keeps their turns. A scan over jobs, which stay few; redundant commands request nothing twice.
   */
  @Scheduled(
      fixedDelayString = "${gridrun.jobs.dispatch-recheck:10s}",
      initialDelayString = "${gridrun.jobs.dispatch-recheck:10s}")
  void recheck() {
    Instant now = clock.instant();
    try {
      Set<String> waitingForCap =
          capacity.limited() ? Set.copyOf(waiting.oldestFirst(Integer.MAX_VALUE)) : Set.of();
      List<String> due = new ArrayList<>();
      jobs.forEach(
          job -> {
            if (job.status() == JobStatus.STARTED
                && job.dispatchAllowance() > 0
                && !waitingForCap.contains(job.id())) {
              due.add(job.id());
            }
          });
      due.forEach(jobId -> wake(jobId, now));
    } catch (RuntimeException e) {
      log.warn("Rechecking started jobs for runs to request failed; trying again later", e);
    }
  }

  private void wake(String jobId, Instant now) {
    if (woken.due(jobId, now)) {
      outbox.sendAndWait(
          new JobControlRequested(
              UUID.randomUUID().toString(), jobId, now, Action.DISPATCH, null, null));
      woken.sent(jobId, now);
    }
  }
}

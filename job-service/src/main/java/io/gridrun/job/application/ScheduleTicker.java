package io.gridrun.job.application;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.job.domain.port.Outbox;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks for due firings and publishes a {@code FIRE} command for each, keyed by job id, so the
 * firing is applied in order with the job's other events. Every job-service instance runs a ticker;
 * the handler applies a firing only while the job still waits for it, so a firing that two
 * instances both publish happens once.
 */
@Component
class ScheduleTicker {

  private static final Logger log = LoggerFactory.getLogger(ScheduleTicker.class);

  /** A firing published but not yet applied is published again after this long. */
  private static final Duration REPUBLISH_AFTER = Duration.ofSeconds(30);

  private final Jobs jobs;
  private final Outbox outbox;
  private final Clock clock;
  private final Map<String, Published> published = new ConcurrentHashMap<>();

  private record Published(Instant scheduledFor, Instant at) {}

  ScheduleTicker(Jobs jobs, Outbox outbox, Clock clock) {
    this.jobs = jobs;
    this.outbox = outbox;
    this.clock = clock;
  }

  @Scheduled(fixedDelayString = "${gridrun.jobs.schedule.tick:1s}")
  void tick() {
    Instant now = clock.instant();
    try {
      for (JobRecord job : jobs.due(now)) {
        fire(job, now);
      }
      published.values().removeIf(p -> p.at().isBefore(now.minus(REPUBLISH_AFTER.multipliedBy(4))));
    } catch (RuntimeException e) {
      log.warn("Looking for due schedules failed; trying again on the next tick", e);
    }
  }

  private void fire(JobRecord job, Instant now) {
    Instant due = job.batches().nextRunAt();
    Published before = published.get(job.id());
    if (before != null
        && before.scheduledFor().equals(due)
        && before.at().isAfter(now.minus(REPUBLISH_AFTER))) {
      return; // on its way to the handler
    }
    outbox.sendAndWait(
        new JobControlRequested(
            UUID.randomUUID().toString(), job.id(), now, Action.FIRE, null, due));
    published.put(job.id(), new Published(due, now));
  }
}

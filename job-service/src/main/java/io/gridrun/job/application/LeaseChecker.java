package io.gridrun.job.application;

import io.gridrun.common.event.RunLeaseExpired;
import io.gridrun.job.config.JobServiceProperties;
import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.port.Leases;
import io.gridrun.job.domain.port.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Looks for expired leases and publishes a {@code run.lease-expired} command for each, keyed by job
 * id, so that the job's handler applies it in order with the job's other events. Every job-service
 * instance runs a checker; the handler acts only while the lease is still expired and of the same
 * attempt, so a command two instances publish is applied once.
 *
 * <p>For one lease timeout after start-up the checker does nothing: leases written before a restart
 * look expired until the heartbeats that queued up meanwhile have been handled.
 */
@Component
class LeaseChecker {

  private static final Logger log = LoggerFactory.getLogger(LeaseChecker.class);
  private static final int BATCH = 1000;

  private final Leases leases;
  private final Outbox outbox;
  private final JobServiceProperties properties;
  private final Clock clock;
  private final Instant checkingFrom;
  private final RecentCommands published;

  LeaseChecker(Leases leases, Outbox outbox, JobServiceProperties properties, Clock clock) {
    this.leases = leases;
    this.outbox = outbox;
    this.properties = properties;
    this.clock = clock;
    this.published = new RecentCommands(properties.leaseTimeout());
    this.checkingFrom = clock.instant().plus(properties.leaseTimeout());
  }

  @Scheduled(fixedDelayString = "${gridrun.jobs.lease-check:5s}")
  void check() {
    Instant now = clock.instant();
    if (now.isBefore(checkingFrom)) {
      return;
    }
    try {
      for (RunLease lease : leases.expired(now, BATCH)) {
        expire(lease, now);
      }
      published.forgetOld(now);
    } catch (RuntimeException e) {
      log.warn("Looking for expired leases failed; trying again on the next check", e);
    }
  }

  private void expire(RunLease lease, Instant now) {
    String key = lease.runId() + "#" + lease.attempt();
    if (!published.due(key, now)) {
      return; // on its way to the handler
    }
    outbox.sendAndWait(
        new RunLeaseExpired(
            UUID.randomUUID().toString(), lease.jobId(), lease.runId(), now, lease.attempt()));
    published.sent(key, now);
  }
}

package io.gridrun.runner.lease;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.runner.execution.Cancellations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of this runner's attempts: a heartbeat per attempt on every beat, and an attempt
 * whose lease could not be renewed for two thirds of its timeout is given up here before
 * job-service requests it again, so that the run is never executed by two runners at once even when
 * this runner is cut off from Kafka. Giving up kills the attempt's steps, silences its events and
 * tells job-service (when it can be reached) so that it does not wait for the lease to expire.
 */
public class Heartbeats {

  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final AttemptsInFlight inFlight;
  private final Cancellations cancellations;
  private final Function<GridrunEvent, CompletableFuture<Void>> publisher;
  private final String runnerId;
  private final Duration every;
  private final Clock clock;

  /**
   * @param publisher sends an event; the future completes when the broker acknowledged it
   * @param every time between two heartbeats of an attempt; shortened to a third of an attempt's
   *     lease timeout where that is shorter
   */
  public Heartbeats(
      AttemptsInFlight inFlight,
      Cancellations cancellations,
      Function<GridrunEvent, CompletableFuture<Void>> publisher,
      String runnerId,
      Duration every,
      Clock clock) {
    this.inFlight = inFlight;
    this.cancellations = cancellations;
    this.publisher = publisher;
    this.runnerId = runnerId;
    this.every = every;
    this.clock = clock;
  }

  /** The interval between beats: the configured one, but at least three beats per lease. */
  public static Duration interval(Duration configured, Duration leaseTimeout) {
    Duration third = leaseTimeout.dividedBy(3);
    return configured.compareTo(third) <= 0 ? configured : third;
  }

  /**
   * Sends the heartbeats that are due and gives up the attempts cut off too long; called often
   * (every half second, say), it sends each attempt's heartbeats at that attempt's interval.
   */
  public void beat() {
    Instant now = clock.instant();
    for (AttemptsInFlight.Attempt attempt : inFlight.all()) {
      if (attempt.abandoned()) {
        continue;
      }
      Duration silent = Duration.between(attempt.renewedAt(), now);
      if (silent.compareTo(attempt.leaseTimeout().multipliedBy(2).dividedBy(3)) > 0) {
        abandon(attempt, "it could not renew the attempt's lease for " + silent.toSeconds() + "s");
        continue;
      }
      if (attempt.beatDue(now, interval(every, attempt.leaseTimeout()))) {
        attempt.beatSent(now);
        send(attempt, now);
      }
    }
  }

  private void send(AttemptsInFlight.Attempt attempt, Instant now) {
    try {
      publisher
          .apply(
              new RunHeartbeat(
                  UUID.randomUUID().toString(),
                  attempt.jobId(),
                  attempt.runId(),
                  now,
                  attempt.number(),
                  runnerId))
          .thenRun(() -> attempt.renewed(now));
    } catch (RuntimeException e) {
      log.warn("Heartbeat of run {} could not be sent: {}", attempt.runId(), e.toString());
    }
  }

  /** Gives up every attempt in flight, e.g. when the drain timeout passed at shutdown. */
  public void abandonAll(String reason) {
    inFlight.all().forEach(attempt -> abandon(attempt, reason));
  }

  /**
   * Stops an attempt here without a word: another runner executes the same attempt and keeps it
   * (job-service heard of that one first). Its steps are killed and its events silenced.
   */
  public void standDown(String runId, int attempt) {
    for (AttemptsInFlight.Attempt found : inFlight.all()) {
      if (found.runId().equals(runId) && found.number() == attempt && inFlight.abandon(found)) {
        log.warn("Standing down from run {} attempt {}: another runner has it", runId, attempt);
        cancellations.cancelAttempt(found.jobId(), runId, attempt);
      }
    }
  }

  /** Gives the attempt up: its steps are killed, its events silenced, job-service is told. */
  public void abandon(AttemptsInFlight.Attempt attempt, String reason) {
    if (!inFlight.abandon(attempt)) {
      return;
    }
    log.warn(
        "Giving up run {} attempt {}: {}; job-service will request it again",
        attempt.runId(),
        attempt.number(),
        reason);
    cancellations.cancelAttempt(attempt.jobId(), attempt.runId(), attempt.number());
    try {
      publisher
          .apply(
              new RunAbandoned(
                  UUID.randomUUID().toString(),
                  attempt.jobId(),
                  attempt.runId(),
                  clock.instant(),
                  attempt.number(),
                  runnerId,
                  reason))
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // the lease then expires at job-service, with the same outcome a little later
      log.warn("Could not tell job-service that run {} was given up", attempt.runId(), e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

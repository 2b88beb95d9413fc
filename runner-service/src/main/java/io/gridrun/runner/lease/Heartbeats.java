package io.gridrun.runner.lease;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.runner.execution.Cancellations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * tells job-service (when it can be reached) so that it does not wait for the lease to expire; an
 * attempt whose every step had already ended is not abandoned but reported late instead (see {@link
 * #reportingEndedAttempts}), so that a run that ended while the broker was away does not run again.
 *
 * <p>Timing: job-service extends a lease when it applies a heartbeat, so the lease it holds never
 * expires before the last acknowledged heartbeat's sending plus the lease timeout. This runner
 * gives up at two thirds of that ({@link #giveUpAfter}), which leaves a third of the lease (10 s of
 * the default 30 s) to kill the steps. {@link #guard()} never waits on the broker: it runs on a
 * thread of its own (see {@code Housekeeping}), marks every overdue attempt abandoned before it
 * kills anything, and tells job-service without waiting for the acknowledgement; a blocked send or
 * a slow engine call for one attempt never delays the give-up of another.
 */
public class Heartbeats {

  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private final AttemptsInFlight inFlight;
  private final Cancellations cancellations;
  private final Function<GridrunEvent, CompletableFuture<Void>> publisher;
  private final String runnerId;
  private final Duration every;
  private final Clock clock;
  private final LateReports late;
  private Function<RunRequested, Optional<List<StepFinished>>> outcomes = run -> Optional.empty();

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
    this.late = new LateReports(publisher);
  }

  /**
   * Attempts given up whose every step had ended are reported, not abandoned: {@code outcomes}
   * gives an attempt's recorded step ends when every step of it ended (see {@link LateReports}).
   * Without it every attempt given up is abandoned.
   */
  public Heartbeats reportingEndedAttempts(
      Function<RunRequested, Optional<List<StepFinished>>> outcomes) {
    this.outcomes = outcomes;
    return this;
  }

  /**
   * Whether {@code next} is the request of the attempt after one whose outcome this runner reported
   * late and the broker acknowledged: job-service then ends the run with that outcome (it reads the
   * late ends before any {@code run.started} this runner could send for {@code next}, since both go
   * to the job's partition in that order, and no other runner took {@code next}: this one did), so
   * {@code next} is not to be executed (see {@link LateReports}).
   */
  public boolean supersededByReportedOutcome(RunRequested next) {
    return late.reported(next.runId(), next.attempt() - 1);
  }

  /**
   * The attempt's every step ended and their ends were published and acknowledged, outside the
   * lease guard (an adopted attempt followed to its end): like a late report, it supersedes the
   * run's next attempt here ({@link #supersededByReportedOutcome}).
   */
  public void outcomeReported(RunRequested run) {
    late.acknowledged(run.runId(), run.attempt());
  }

  /** The interval between beats: the configured one, but at least three beats per lease. */
  public static Duration interval(Duration configured, Duration leaseTimeout) {
    Duration third = leaseTimeout.dividedBy(3);
    return configured.compareTo(third) <= 0 ? configured : third;
  }

  /** How long an attempt may go without an acknowledged heartbeat before it is given up. */
  public static Duration giveUpAfter(Duration leaseTimeout) {
    return leaseTimeout.multipliedBy(2).dividedBy(3);
  }

  /** Gives up the attempts cut off too long, then sends the heartbeats that are due. */
  public void beat() {
    guard();
    send();
  }

  /**
   * Gives up every attempt whose lease could not be renewed for {@link #giveUpAfter} its timeout:
   * all of them are marked abandoned first (nothing of theirs is published from then on). An
   * attempt whose every step had ended by then keeps its outcome, which is reported (from the run's
   * records) once the broker takes it ({@link LateReports}); the others' steps are killed, then
   * job-service is told without waiting. Called often (every half second, say) on a thread that
   * does nothing else; it also sends again outcomes whose report failed.
   */
  public void guard() {
    Instant now = clock.instant();
    List<AttemptsInFlight.Attempt> overdue = new ArrayList<>();
    for (AttemptsInFlight.Attempt attempt : inFlight.all()) {
      Duration silent = Duration.between(attempt.renewedAt(), now);
      if (!attempt.abandoned() && silent.compareTo(giveUpAfter(attempt.leaseTimeout())) > 0) {
        // launches stop first: once it is marked abandoned, a late acknowledgement of a step's
        // end could otherwise start the next step before the guard kills the attempt's steps
        cancellations.stopLaunches(attempt.runId(), attempt.number());
        if (inFlight.abandon(attempt)) {
          overdue.add(attempt);
        }
      }
    }
    // every step's end is recorded before it is published, and nothing of these attempts is
    // published any more: an attempt whose steps all ended now is whole, the others never will be
    for (AttemptsInFlight.Attempt attempt : List.copyOf(overdue)) {
      Duration silent = Duration.between(attempt.renewedAt(), now);
      Optional<List<StepFinished>> outcome = ended(attempt);
      if (outcome.isPresent()) {
        overdue.remove(attempt);
        log.warn(
            "Run {} attempt {} could not renew its lease for {} ms, but every step of it ended:"
                + " its outcome is reported once the broker takes it",
            attempt.runId(),
            attempt.number(),
            silent.toMillis());
        late.report(attempt.runId(), attempt.number(), outcome.get());
      } else {
        log.warn(
            "Giving up run {} attempt {}: it could not renew the attempt's lease for {} ms;"
                + " job-service will request it again",
            attempt.runId(),
            attempt.number(),
            silent.toMillis());
      }
    }
    kill(overdue);
    for (AttemptsInFlight.Attempt attempt : overdue) {
      tell(
          attempt,
          "it could not renew the attempt's lease for "
              + Duration.between(attempt.renewedAt(), now).toSeconds()
              + "s");
    }
    late.retry();
  }

  private Optional<List<StepFinished>> ended(AttemptsInFlight.Attempt attempt) {
    try {
      return outcomes.apply(attempt.request());
    } catch (RuntimeException e) {
      log.warn("Could not read the records of run {}", attempt.runId(), e);
      return Optional.empty();
    }
  }

  /**
   * Sends the heartbeats that are due; called often, it sends each attempt's heartbeats at that
   * attempt's interval. A send that blocks (a producer waiting for metadata) delays only this.
   */
  public void send() {
    Instant now = clock.instant();
    for (AttemptsInFlight.Attempt attempt : inFlight.all()) {
      if (!attempt.abandoned() && attempt.beatDue(now, interval(every, attempt.leaseTimeout()))) {
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

  /**
   * Gives up every attempt in flight, e.g. when the drain timeout passed at shutdown, and waits a
   * little for job-service's acknowledgements, since the process is about to end.
   */
  public void abandonAll(String reason) {
    List<AttemptsInFlight.Attempt> given = new ArrayList<>();
    for (AttemptsInFlight.Attempt attempt : inFlight.all()) {
      if (inFlight.abandon(attempt)) {
        log.warn("Giving up run {} attempt {}: {}", attempt.runId(), attempt.number(), reason);
        given.add(attempt);
      }
    }
    kill(given);
    List<CompletableFuture<Void>> told = new ArrayList<>();
    given.forEach(attempt -> told.add(tell(attempt, reason)));
    try {
      CompletableFuture.allOf(told.toArray(CompletableFuture[]::new))
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // the leases then expire at job-service, with the same outcome a little later
      log.warn("Could not tell job-service that {} attempts were given up", told.size(), e);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    }
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
    tell(attempt, reason);
  }

  /**
   * Kills the steps of the attempts given up, all at once (a thread each): a slow engine call for
   * one attempt must not let another's step run on, perhaps to its end.
   */
  private void kill(List<AttemptsInFlight.Attempt> attempts) {
    if (attempts.size() == 1) {
      AttemptsInFlight.Attempt only = attempts.get(0);
      cancellations.cancelAttempt(only.jobId(), only.runId(), only.number());
      return;
    }
    List<Thread> killers = new ArrayList<>();
    for (AttemptsInFlight.Attempt attempt : attempts) {
      Thread killer =
          new Thread(
              () -> cancellations.cancelAttempt(attempt.jobId(), attempt.runId(), attempt.number()),
              "give-up-" + attempt.runId());
      killer.setDaemon(true);
      killer.start();
      killers.add(killer);
    }
    try {
      for (Thread killer : killers) {
        killer.join(15_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Tells job-service that the attempt was given up, without waiting for the broker. */
  private CompletableFuture<Void> tell(AttemptsInFlight.Attempt attempt, String reason) {
    try {
      return publisher
          .apply(
              new RunAbandoned(
                  UUID.randomUUID().toString(),
                  attempt.jobId(),
                  attempt.runId(),
                  clock.instant(),
                  attempt.number(),
                  runnerId,
                  reason))
          .whenComplete(
              (done, failure) -> {
                if (failure != null) {
                  // the lease then expires at job-service, with the same outcome a little later
                  log.warn(
                      "Could not tell job-service that run {} was given up: {}",
                      attempt.runId(),
                      failure.toString());
                }
              });
    } catch (RuntimeException e) {
      log.warn("Could not tell job-service that run {} was given up", attempt.runId(), e);
      return CompletableFuture.completedFuture(null);
    }
  }
}

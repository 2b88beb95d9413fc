package io.gridrun.runner.lease;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunAbandoned;
import io.gridrun.common.event.RunHeartbeat;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.runner.TestRuns;
import io.gridrun.runner.execution.Cancellations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {

  private static final Instant T0 = Instant.parse("2026-11-29T08:00:00Z");

  private Instant now = T0;
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };

  private final List<GridrunEvent> sent = new CopyOnWriteArrayList<>();
  private boolean brokerAnswers = true;
  private final AttemptsInFlight inFlight = new AttemptsInFlight();
  private final Cancellations cancellations = new Cancellations();
  private final Heartbeats heartbeats =
      new Heartbeats(
          inFlight,
          cancellations,
          event -> {
            if (!brokerAnswers) {
              return new CompletableFuture<>(); // never acknowledged
            }
            sent.add(event);
            return CompletableFuture.completedFuture(null);
          },
          "runner-a",
          Duration.ofSeconds(10),
          clock);

  @Test
  void eachAttemptInFlightSendsAHeartbeatAtLeastThreeTimesPerLease() {
    RunRequested r1 = run(1, Duration.ofSeconds(30));
    RunRequested r2 = run(2, Duration.ofSeconds(6));
    inFlight.begin(r1, now);
    inFlight.begin(r2, now);

    for (int second = 0; second <= 10; second++) {
      now = T0.plusSeconds(second);
      heartbeats.beat();
    }

    // r1 every 10 s (the configured interval), r2 every 2 s (a third of its 6 s lease)
    assertThat(beatsOf(r1)).containsExactly(0L, 10L);
    assertThat(beatsOf(r2)).containsExactly(0L, 2L, 4L, 6L, 8L, 10L);
    assertThat(sent)
        .filteredOn(RunHeartbeat.class::isInstance)
        .allSatisfy(e -> assertThat(((RunHeartbeat) e).runner()).isEqualTo("runner-a"));
    assertThat(sent).noneMatch(RunAbandoned.class::isInstance);
  }

  @Test
  void anAttemptWhoseExecutionStartsBeatsAnIntervalLaterAnAdoptedOneAtOnce() {
    RunRequested executed = run(1, Duration.ofSeconds(30));
    RunRequested adopted = run(2, Duration.ofSeconds(30));
    assertThat(inFlight.beginExecutingIfAbsent(executed, now)).isTrue();
    assertThat(inFlight.beginIfAbsent(adopted, now)).isTrue();
    assertThat(inFlight.beginExecutingIfAbsent(executed, now)).as("in flight already").isFalse();

    for (int second = 0; second <= 20; second++) {
      now = T0.plusSeconds(second);
      heartbeats.beat();
    }

    // its run.started extended the lease at second 0, as a heartbeat would have
    assertThat(beatsOf(executed)).containsExactly(10L, 20L);
    assertThat(beatsOf(adopted)).containsExactly(0L, 10L, 20L);
    assertThat(sent).noneMatch(RunAbandoned.class::isInstance);
  }

  @Test
  void anAttemptWhoseLeaseCannotBeRenewedIsGivenUpBeforeItExpires() {
    RunRequested run = run(3, Duration.ofSeconds(30));
    inFlight.begin(run, now);
    FencedEvents events = new FencedEvents(sent::add, inFlight);
    brokerAnswers = false;

    now = T0.plusSeconds(20);
    heartbeats.beat();
    assertThat(cancellations.isCancelled(run)).isFalse();

    now = T0.plusSeconds(21); // more than two thirds of the 30 s lease without an acknowledgement
    brokerAnswers = true;
    heartbeats.beat();

    assertThat(cancellations.isCancelled(run)).as("its steps are killed").isTrue();
    assertThat(sent)
        .singleElement()
        .isInstanceOfSatisfying(
            RunAbandoned.class,
            a -> {
              assertThat(a.runId()).isEqualTo(run.runId());
              assertThat(a.attempt()).isEqualTo(3);
              assertThat(a.reason()).contains("could not renew");
            });
    // what the killed steps report is not published: the run is not over, only this attempt
    events.publish(finished(run));
    events.publish(new StepStarted("e", run.jobId(), run.runId(), "next", now, 3));
    assertThat(sent).hasSize(1);
    heartbeats.beat();
    assertThat(sent).as("no heartbeat for an attempt given up").hasSize(1);
  }

  /**
   * The race behind a flaky "b never started": the broker came back just after the guard marked the
   * attempt abandoned and before it killed its steps, the acknowledged end of step a let the
   * scheduler launch b. Launches stop before the attempt is marked abandoned, so whoever sees it
   * abandoned finds its launches stopped, and a step that ended keeps its real status.
   */
  @Test
  void anAttemptGivenUpHasItsLaunchesStoppedBeforeItIsMarkedAbandoned() {
    RunRequested run = run(1, Duration.ofSeconds(30));
    inFlight.begin(run, now);
    List<Boolean> stoppedWhenSeenAbandoned = new CopyOnWriteArrayList<>();
    heartbeats.reportingEndedAttempts(
        attempt -> {
          // called by the guard right after it marked the attempt abandoned
          assertThat(inFlight.isAbandoned(attempt.runId(), attempt.attempt())).isTrue();
          stoppedWhenSeenAbandoned.add(cancellations.isAttemptCancelled(attempt));
          return Optional.of(List.of(finished(attempt)));
        });
    brokerAnswers = false;

    now = T0.plusSeconds(21);
    heartbeats.guard();

    assertThat(stoppedWhenSeenAbandoned).containsExactly(true);
    assertThat(cancellations.isCancelled(run))
        .as("every step had ended: nothing is killed, the outcome is reported")
        .isFalse();
  }

  @Test
  void everyOverdueAttemptIsGivenUpAtOnceWithoutWaitingForTheBroker() {
    RunRequested first = run(1, Duration.ofSeconds(12));
    RunRequested second = run(1, Duration.ofSeconds(12));
    inFlight.begin(first, now);
    inFlight.begin(second, now);
    brokerAnswers = false; // a send is never acknowledged: telling job-service must not block

    now = T0.plusSeconds(8);
    heartbeats.guard();
    assertThat(cancellations.isCancelled(first)).isFalse();

    now = T0.plusMillis(8_001); // just past two thirds of the 12 s lease
    heartbeats.guard();

    assertThat(cancellations.isCancelled(first)).isTrue();
    assertThat(cancellations.isCancelled(second)).isTrue();
    assertThat(inFlight.isAbandoned(first.runId(), 1)).isTrue();
    assertThat(inFlight.isAbandoned(second.runId(), 1)).isTrue();
  }

  @Test
  void acknowledgedHeartbeatsKeepAnAttemptAliveForAsLongAsItRuns() {
    RunRequested run = run(1, Duration.ofSeconds(30));
    inFlight.begin(run, now);

    for (int second = 0; second <= 600; second += 5) {
      now = T0.plusSeconds(second);
      heartbeats.beat();
    }

    assertThat(cancellations.isCancelled(run)).isFalse();
    assertThat(sent).noneMatch(RunAbandoned.class::isInstance);
  }

  @Test
  void givingEverythingUpAtShutdownCancelsOnlyThoseAttemptsAndTellsJobService() {
    RunRequested first = run(1, Duration.ofSeconds(30));
    RunRequested second = run(4, Duration.ofSeconds(30));
    inFlight.begin(first, now);
    inFlight.begin(second, now);
    FencedEvents events = new FencedEvents(sent::add, inFlight);

    heartbeats.abandonAll("shutting down");

    assertThat(sent).filteredOn(RunAbandoned.class::isInstance).hasSize(2);
    assertThat(cancellations.isCancelled(first)).isTrue();
    assertThat(cancellations.isCancelled(second)).isTrue();
    // the next attempt of the same run is not cancelled
    assertThat(cancellations.isCancelled(TestRuns.attempt(second, 5, Duration.ofSeconds(30))))
        .isFalse();
    events.publish(finished(first));
    assertThat(sent).noneMatch(StepFinished.class::isInstance);
  }

  @Test
  void standingDownStopsTheAttemptSilentlyAndLeavesOtherAttemptsAlone() {
    RunRequested run = run(1, Duration.ofSeconds(30));
    RunRequested other = run(1, Duration.ofSeconds(30));
    inFlight.begin(run, now);
    inFlight.begin(other, now);
    FencedEvents events = new FencedEvents(sent::add, inFlight);

    heartbeats.standDown(run.runId(), 1);
    heartbeats.standDown(other.runId(), 2); // not an attempt in flight here

    assertThat(cancellations.isCancelled(run)).isTrue();
    assertThat(cancellations.isCancelled(other)).isFalse();
    assertThat(sent).as("job-service is not told: the other runner holds the attempt").isEmpty();
    events.publish(finished(run));
    events.publish(finished(other));
    assertThat(sent).singleElement().isInstanceOf(StepFinished.class);
  }

  private List<Long> beatsOf(RunRequested run) {
    return sent.stream()
        .filter(RunHeartbeat.class::isInstance)
        .map(RunHeartbeat.class::cast)
        .filter(b -> b.runId().equals(run.runId()))
        .map(b -> Duration.between(T0, b.at()).toSeconds())
        .toList();
  }

  private static StepFinished finished(RunRequested run) {
    return new StepFinished(
        "e",
        run.jobId(),
        run.runId(),
        "only",
        T0,
        run.attempt(),
        ExecutionStatus.ABORTED,
        null,
        "cancelled",
        T0,
        T0,
        Map.of());
  }

  /** A run of its own job (distinct run ids), as the given attempt with the given lease. */
  @Test
  void anAdoptedAttemptsReportedOutcomeSupersedesTheRunsNextAttemptOnly() {
    RunRequested first = run(1, Duration.ofSeconds(30));
    RunRequested second = TestRuns.attempt(first, 2, Duration.ofSeconds(30));
    RunRequested third = TestRuns.attempt(first, 3, Duration.ofSeconds(30));
    assertThat(heartbeats.supersededByReportedOutcome(second)).isFalse();

    heartbeats.outcomeReported(first);

    assertThat(heartbeats.supersededByReportedOutcome(second)).isTrue();
    // an attempt after one that was not reported here is executed
    assertThat(heartbeats.supersededByReportedOutcome(third)).isFalse();
  }

  @Test
  void aRequestWaitsForAnEarlierAttemptOfItsRunInFlightHereNotForOtherRuns() throws Exception {
    RunRequested first = run(1, Duration.ofSeconds(30));
    RunRequested second = TestRuns.attempt(first, 2, Duration.ofSeconds(30));
    RunRequested other = run(1, Duration.ofSeconds(30)); // another job's run
    inFlight.begin(other, now);
    assertThat(inFlight.awaitEarlierAttempts(second, Duration.ofMillis(1))).isTrue();

    inFlight.begin(first, now);
    assertThat(inFlight.awaitEarlierAttempts(second, Duration.ofMillis(50))).isFalse();
    assertThat(inFlight.awaitEarlierAttempts(first, Duration.ofMillis(1)))
        .as("only earlier attempts count")
        .isTrue();

    CompletableFuture<Boolean> waited =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return inFlight.awaitEarlierAttempts(second, Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    inFlight.end(first);
    assertThat(waited.get(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
  }

  private static RunRequested run(int attempt, Duration leaseTimeout) {
    return TestRuns.attempt(
        TestRuns.run("manifest", TestRuns.pipeline(TestRuns.step("only"))), attempt, leaseTimeout);
  }
}

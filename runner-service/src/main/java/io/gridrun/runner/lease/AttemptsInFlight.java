package io.gridrun.runner.lease;

import io.gridrun.common.event.RunRequested;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The run attempts this runner executes now. Each holds a lease at job-service that this runner
 * renews with heartbeats; an attempt this runner gave up (shutting down, or its lease could not be
 * renewed) is marked abandoned, and from then on nothing it does is reported any more: job-service
 * requests the run again, and only the new attempt's events may count.
 */
public class AttemptsInFlight {

  /** One attempt in flight. */
  public static final class Attempt {
    private final RunRequested request;
    private final String jobId;
    private final String runId;
    private final int number;
    private final Duration leaseTimeout;
    private volatile Instant renewedAt;
    private volatile Instant beatAt;
    private volatile boolean abandoned;

    Attempt(RunRequested run, Instant now) {
      this.request = run;
      this.jobId = run.jobId();
      this.runId = run.runId();
      this.number = run.attempt();
      this.leaseTimeout = run.effectiveLeaseTimeout();
      this.renewedAt = now;
    }

    /** The request this attempt executes. */
    public RunRequested request() {
      return request;
    }

    public String jobId() {
      return jobId;
    }

    public String runId() {
      return runId;
    }

    public int number() {
      return number;
    }

    public Duration leaseTimeout() {
      return leaseTimeout;
    }

    /** When job-service last certainly heard that this attempt is alive. */
    public Instant renewedAt() {
      return renewedAt;
    }

    void renewed(Instant at) {
      if (at.isAfter(renewedAt)) {
        renewedAt = at;
      }
    }

    /** Whether a heartbeat is due: none sent yet, or the last one {@code every} ago. */
    boolean beatDue(Instant now, Duration every) {
      return beatAt == null || !now.isBefore(beatAt.plus(every));
    }

    void beatSent(Instant at) {
      beatAt = at;
    }

    public boolean abandoned() {
      return abandoned;
    }
  }

  private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

  /** The attempt starts executing here; its lease counts as renewed now. */
  public Attempt begin(RunRequested run, Instant now) {
    Attempt attempt = new Attempt(run, now);
    attempts.put(key(run.runId(), run.attempt()), attempt);
    return attempt;
  }

  /**
   * The attempt starts executing here unless it already is (a request delivered again while this
   * runner continues the attempt its predecessor left); its lease counts as renewed now.
   *
   * @return whether it began
   */
  public boolean beginIfAbsent(RunRequested run, Instant now) {
    return attempts.putIfAbsent(key(run.runId(), run.attempt()), new Attempt(run, now)) == null;
  }

  /**
   * {@link #beginIfAbsent} for an attempt whose execution starts here now, with its {@code
   * run.started}: job-service extends the lease when it applies that as it does a heartbeat, so the
   * first heartbeat is due an interval later instead of at once (an adopted attempt, which sends no
   * {@code run.started}, beats at once). A run shorter than the interval sends none: one event and
   * two lease writes at job-service fewer per run.
   *
   * @return whether it began
   */
  public boolean beginExecutingIfAbsent(RunRequested run, Instant now) {
    Attempt attempt = new Attempt(run, now);
    attempt.beatSent(now);
    return attempts.putIfAbsent(key(run.runId(), run.attempt()), attempt) == null;
  }

  /** The attempt's execution ended here, reported or not. */
  public void end(RunRequested run) {
    attempts.remove(key(run.runId(), run.attempt()));
    synchronized (attempts) {
      attempts.notifyAll();
    }
  }

  /**
   * Waits, at most {@code max}, while an earlier attempt of {@code run}'s run executes here (one
   * that a killed predecessor of this runner left and this runner adopted): what that attempt
   * reports decides whether {@code run} is to be executed at all. Whether none is left.
   */
  public boolean awaitEarlierAttempts(RunRequested run, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (attempts) {
      while (earlierAttemptInFlight(run)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        attempts.wait(Math.max(1, left / 1_000_000));
      }
    }
    return true;
  }

  /** Whether an earlier attempt of {@code run}'s run executes here. */
  public boolean earlierAttemptInFlight(RunRequested run) {
    return attempts.values().stream()
        .anyMatch(a -> a.runId().equals(run.runId()) && a.number() < run.attempt());
  }

  public List<Attempt> all() {
    return List.copyOf(attempts.values());
  }

  /** Whether this attempt was given up here: its events must not be published any more. */
  public boolean isAbandoned(String runId, int attempt) {
    Attempt found = attempts.get(key(runId, attempt));
    return found != null && found.abandoned;
  }

  /** Marks the attempt abandoned; false if it was not in flight or already abandoned. */
  boolean abandon(Attempt attempt) {
    synchronized (attempt) {
      if (attempt.abandoned || !attempts.containsKey(key(attempt.runId, attempt.number))) {
        return false;
      }
      attempt.abandoned = true;
      return true;
    }
  }

  private static String key(String runId, int attempt) {
    return runId + "#" + attempt;
  }
}

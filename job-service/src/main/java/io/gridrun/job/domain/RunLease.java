package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.event.StepFinished;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;

/**
 * job-service's hold on one attempt of an in-flight run: until {@code expiresAt} it waits for the
 * attempt's runner; after that the attempt counts as lost and the run is requested again. Kept in a
 * collection of its own, one document per in-flight run keyed by run id, so that finding expired
 * leases never touches the (large) runs collection.
 *
 * @param started false while the request waits for a runner (only with a start timeout)
 * @param runner the runner that reported the attempt started; null before
 * @param lateEnds step ends of the attempt before this one that arrived after that attempt was
 *     given up for lost, while this one has not started: kept until there is one for every step,
 *     when the run ends with them ({@link LateOutcome}); empty otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunLease(
    @Id String runId,
    String jobId,
    int attempt,
    Instant expiresAt,
    boolean started,
    String runner,
    List<StepFinished> lateEnds) {

  public RunLease {
    lateEnds = lateEnds == null ? List.of() : List.copyOf(lateEnds);
  }

  public RunLease(
      String runId, String jobId, int attempt, Instant expiresAt, boolean started, String runner) {
    this(runId, jobId, attempt, expiresAt, started, runner, List.of());
  }

  /** A request just published, to be started within {@code startTimeout}. */
  public static RunLease requested(
      String runId, String jobId, int attempt, Instant now, Duration startTimeout) {
    return new RunLease(runId, jobId, attempt, now.plus(startTimeout), false, null);
  }

  /** The attempt's runner was heard of (started, heartbeat) at {@code now}. */
  public static RunLease heardFrom(
      String runId, String jobId, int attempt, String runner, Instant now, Duration timeout) {
    return new RunLease(runId, jobId, attempt, now.plus(timeout), true, runner);
  }

  /** The same lease keeping {@code ends} (see {@link #lateEnds}). */
  public RunLease withLateEnds(List<StepFinished> ends) {
    return new RunLease(runId, jobId, attempt, expiresAt, started, runner, ends);
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  /** Why the attempt counts as lost once the lease expired. */
  public String lossReason(Duration leaseTimeout, Duration startTimeout) {
    return started
        ? "runner " + runner + " sent no heartbeat for " + leaseTimeout
        : "no runner started it within " + startTimeout;
  }
}

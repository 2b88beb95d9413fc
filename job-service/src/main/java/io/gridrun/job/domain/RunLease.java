package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.time.Instant;
import org.springframework.data.annotation.Id;

/**
 * job-service's hold on one attempt of an in-flight run: until {@code expiresAt} it waits for the
 * attempt's runner; after that the attempt counts as lost and the run is requested again. Kept in a
 * collection of its own, one document per in-flight run keyed by run id, so that finding expired
 * leases never touches the (large) runs collection.
 *
 * @param started false while the request waits for a runner (only with a start timeout)
 * @param runner the runner that reported the attempt started; null before
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunLease(
    @Id String runId,
    String jobId,
    int attempt,
    Instant expiresAt,
    boolean started,
    String runner) {

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

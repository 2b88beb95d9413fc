package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Execute one pipeline run. Self-contained: a runner needs nothing else than this event and the
 * blob store. Keyed by <b>run id</b> (see {@link Topics#RUNS}).
 *
 * @param index the run's position in the job's grid
 * @param batch 0 for the first batch of runs; scheduled jobs add one per firing
 * @param attempt starts at 1; a run requested again (lost runner) gets a higher attempt, and events
 *     of older attempts are ignored
 * @param env the job's environment variables
 * @param leaseTimeout how long job-service waits after the runner's last heartbeat before it
 *     requests the run again; the runner stops the attempt by itself well before that when it
 *     cannot send heartbeats. Null in requests of older job-services: the runner then assumes
 *     {@link #DEFAULT_LEASE_TIMEOUT}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRequested(
    String eventId,
    String jobId,
    String runId,
    Instant at,
    long index,
    int batch,
    int attempt,
    String snapshotId,
    String manifest,
    PipelineDefinition pipeline,
    Map<String, PinnedEnvironment> environments,
    RunParameters parameters,
    Map<String, String> env,
    Duration leaseTimeout)
    implements GridrunEvent {

  public static final String TYPE = "run.requested";
  public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);

  @JsonCreator
  public RunRequested {}

  /** A request without a lease timeout (the default applies). */
  public RunRequested(
      String eventId,
      String jobId,
      String runId,
      Instant at,
      long index,
      int batch,
      int attempt,
      String snapshotId,
      String manifest,
      PipelineDefinition pipeline,
      Map<String, PinnedEnvironment> environments,
      RunParameters parameters,
      Map<String, String> env) {
    this(
        eventId,
        jobId,
        runId,
        at,
        index,
        batch,
        attempt,
        snapshotId,
        manifest,
        pipeline,
        environments,
        parameters,
        env,
        null);
  }

  /** The lease timeout that applies to this request. */
  public Duration effectiveLeaseTimeout() {
    return leaseTimeout != null ? leaseTimeout : DEFAULT_LEASE_TIMEOUT;
  }

  @Override
  public String topic() {
    return Topics.RUNS;
  }

  @Override
  public String key() {
    return runId;
  }
}

package io.gridrun.job.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * job-service settings.
 *
 * @param expansionBatch run documents written per insert while a grid is expanded
 * @param dispatchBatch run requests published per round while dispatching
 * @param listenerConcurrency consumer threads for the job-keyed topics
 * @param schedule how schedules fire
 * @param leaseTimeout an in-flight run whose runner was not heard of (run.started, run.heartbeat)
 *     for this long counts as lost and is requested again with the next attempt
 * @param leaseCheck how often the lease checker looks for expired leases
 * @param startTimeout a requested run that no runner started within this long is requested again (a
 *     new attempt; after {@code maxAttempts} it ends {@code FAILURE}, reason {@code never
 *     started}): a request lost by a runner that died after taking it, or that no runner could
 *     read. Zero turns it off. Runs that merely wait in the queue count too, so a fleet that takes
 *     longer than this to reach a request (a large job without {@code maxParallelRuns} or {@code
 *     gridrun.max-concurrent-runs}) needs it longer
 * @param maxAttempts a run whose runner was lost this many times ends {@code FAILURE}
 * @param dispatchSweep how often runs that wait for the fleet's run cap are looked at
 * @param dispatchRecheck how often every started job with runs it may request now is told to
 *     request them: a chunk whose publish or cursor save failed is requested again
 * @param maxRunsPerJob a cron firing or trigger whose batch would take a job past this many runs in
 *     all starts no batch: it is recorded as {@code SKIPPED} with the limit named (the gateway
 *     refuses larger jobs, triggers and re-runs with {@code 400} under {@code
 *     gridrun.gateway.limits.max-runs-per-job}; set both alike)
 * @param batchMaxTime a batch of events (what one poll returns) is closed once it has been open
 *     this long, and the rest of the poll handled as the next batch: the job writes and dispatches
 *     a batch defers are done at its close, so this bounds how long a job's counters lag behind its
 *     runs and how long ended runs wait to be replaced by the next ones while a long batch (a busy
 *     database, a job of 10 000 runs cancelled) is handled
 * @param viewCacheEntries how many run entries (and their metric values) of decoded run buckets the
 *     run lists and results tables keep between reads, so that a filtered page of a large job reads
 *     only the buckets changed since (about 100 bytes per entry, a few hundred with metrics; 0
 *     keeps none and decodes every bucket on every read)
 */
@ConfigurationProperties("gridrun.jobs")
@Validated
public record JobServiceProperties(
    @DefaultValue("1000") @Min(1) int expansionBatch,
    @DefaultValue("500") @Min(1) int dispatchBatch,
    @DefaultValue("2") @Min(1) int listenerConcurrency,
    @DefaultValue @jakarta.validation.Valid ScheduleSettings schedule,
    @DefaultValue("30s") @NotNull java.time.Duration leaseTimeout,
    @DefaultValue("5s") @NotNull java.time.Duration leaseCheck,
    @DefaultValue("10m") java.time.Duration startTimeout,
    @DefaultValue("5") @Min(1) int maxAttempts,
    @DefaultValue("1s") @NotNull java.time.Duration dispatchSweep,
    @DefaultValue("100000") @Min(1) long maxRunsPerJob,
    @DefaultValue("10s") @NotNull java.time.Duration dispatchRecheck,
    @DefaultValue("250ms") @NotNull java.time.Duration batchMaxTime,
    @DefaultValue("300000") @Min(0) long viewCacheEntries) {

  /** Whether requested runs get a start deadline ({@code startTimeout} set and not zero). */
  public boolean startDeadline() {
    return startTimeout != null && !startTimeout.isZero() && !startTimeout.isNegative();
  }

  /**
   * @param tick how often the scheduler looks for due firings
   * @param misfireGrace a firing handled later than this after its time counts as missed, and the
   *     job's {@code missed} policy applies to it
   * @param maxCatchUpBatches with {@code missed: all}, at most this many missed firings start a
   *     batch (the most recent ones); older ones are recorded as missed
   */
  public record ScheduleSettings(
      @DefaultValue("1s") java.time.Duration tick,
      @DefaultValue("60s") java.time.Duration misfireGrace,
      @DefaultValue("100") @Min(1) int maxCatchUpBatches) {}
}

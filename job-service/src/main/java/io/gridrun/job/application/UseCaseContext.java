package io.gridrun.job.application;

import io.gridrun.job.config.JobServiceProperties;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.job.domain.port.Leases;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.ParkedEvents;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.domain.port.Runs;
import io.gridrun.job.domain.port.StatusEvents;
import io.gridrun.job.domain.port.WaitingJobs;
import io.gridrun.job.metrics.JobMetrics;
import java.time.Clock;

/**
 * What every use case works with: the ports (MongoDB and Kafka adapters in the service, in-memory
 * ones in unit tests), the settings, the meters and the clock. The use cases keep no state of their
 * own, so each builds the others it delegates to from the same context.
 */
public record UseCaseContext(
    Jobs jobs,
    Runs runs,
    Leases leases,
    RunCapacity capacity,
    WaitingJobs waiting,
    ParkedEvents parked,
    Outbox outbox,
    StatusEvents status,
    JobServiceProperties properties,
    JobMetrics metrics,
    Clock clock) {

  /** The same context over other jobs (the batching view of the event handler). */
  UseCaseContext withJobs(Jobs other) {
    return new UseCaseContext(
        other, runs, leases, capacity, waiting, parked, outbox, status, properties, metrics, clock);
  }

  /** The same context over other runs (the batching view of the event handler). */
  UseCaseContext withRuns(Runs other) {
    return new UseCaseContext(
        jobs, other, leases, capacity, waiting, parked, outbox, status, properties, metrics, clock);
  }

  /** The same context over other leases (the event handler's view, kept across batches). */
  UseCaseContext withLeases(Leases other) {
    return new UseCaseContext(
        jobs, runs, other, capacity, waiting, parked, outbox, status, properties, metrics, clock);
  }

  /** The job's runs by sequence number, a dispatch batch at a time. */
  RunPages pages() {
    return new RunPages(runs, properties.dispatchBatch());
  }
}

package io.gridrun.job.metrics;

import io.gridrun.common.status.ExecutionStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** job-service's own meters, named the Prometheus way once exported ({@code gridrun_…}). */
public class JobMetrics {

  private final MeterRegistry registry;
  private final AtomicLong awaitingDispatch = new AtomicLong();

  public JobMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("gridrun.dispatch.queue", awaitingDispatch);
  }

  public void jobCreated() {
    registry.counter("gridrun.jobs.received").increment();
  }

  public void jobFinished(String status) {
    registry.counter("gridrun.jobs.finished", "status", status).increment();
  }

  public void runFinished(ExecutionStatus status) {
    registry.counter("gridrun.runs.finished", "status", status.name()).increment();
  }

  public void stepFinished(
      String environment, ExecutionStatus status, Instant startedAt, Instant finishedAt) {
    if (startedAt == null || finishedAt == null || finishedAt.isBefore(startedAt)) {
      // a metric never fails the event that reports it (Micrometer throws on negative durations)
      return;
    }
    Timer.builder("gridrun.step.duration")
        .tags("environment", String.valueOf(environment), "status", status.name())
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.between(startedAt, finishedAt));
  }

  /**
   * The event listener's partitions were assigned or revoked, so what job-service kept of their
   * jobs, runs and leases was dropped and is read again: often, it costs reads on every event.
   */
  public void partitionsMoved() {
    registry.counter("gridrun.jobs.partitions.moved").increment();
  }

  /** A run's attempt was lost (runner silent or gone) and the run requested again. */
  public void requeued() {
    registry.counter("gridrun.runs.requeued").increment();
  }

  /** Runs written and waiting to be requested; requested ones leave the queue. */
  public void queued(long runs) {
    awaitingDispatch.addAndGet(runs);
  }

  public void dequeued(long runs) {
    awaitingDispatch.updateAndGet(v -> Math.max(0, v - runs));
  }

  /** For tests without a registry. */
  public static JobMetrics none() {
    return new JobMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
  }
}

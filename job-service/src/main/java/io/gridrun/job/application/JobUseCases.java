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
 * The use cases wired together over a set of ports: by Spring with the MongoDB and Kafka adapters,
 * by unit tests with in-memory ones.
 */
public final class JobUseCases {

  /** Everything the use cases need from outside. */
  public record Ports(
      Jobs jobs,
      Runs runs,
      Leases leases,
      RunCapacity capacity,
      WaitingJobs waiting,
      ParkedEvents parked,
      Outbox outbox,
      StatusEvents status) {}

  private final JobEventRouter router;

  public JobUseCases(
      Ports ports, JobServiceProperties properties, Clock clock, JobMetrics metrics) {
    RunPages pages = new RunPages(ports.runs(), properties.dispatchBatch());
    JobTransitions transitions = new JobTransitions(ports.jobs(), ports.status(), metrics);
    RunMaterialisation materialisation =
        new RunMaterialisation(
            ports.jobs(), ports.runs(), pages, metrics, properties.expansionBatch());
    Dispatch dispatch =
        new Dispatch(
            ports.jobs(),
            ports.runs(),
            ports.leases(),
            ports.capacity(),
            ports.waiting(),
            ports.outbox(),
            metrics,
            new Dispatch.Settings(
                properties.dispatchBatch(), properties.leaseTimeout(), properties.startTimeout()),
            clock);
    RunProgress progress =
        new RunProgress(
            ports.jobs(),
            ports.runs(),
            pages,
            ports.outbox(),
            ports.status(),
            transitions,
            dispatch,
            metrics,
            clock);
    RunLeasing leasing =
        new RunLeasing(
            ports.jobs(),
            ports.runs(),
            ports.leases(),
            ports.outbox(),
            progress,
            dispatch,
            metrics,
            new RunLeasing.Settings(
                properties.leaseTimeout(), properties.startTimeout(), properties.maxAttempts()),
            clock);
    Scheduling scheduling =
        new Scheduling(
            ports.jobs(),
            transitions,
            materialisation,
            progress,
            dispatch,
            new Scheduling.Settings(
                properties.schedule().misfireGrace(), properties.schedule().maxCatchUpBatches()),
            clock);
    JobCommands commands =
        new JobCommands(
            ports.jobs(),
            ports.runs(),
            pages,
            ports.outbox(),
            transitions,
            materialisation,
            dispatch,
            progress,
            scheduling,
            metrics,
            clock);
    JobIntake intake =
        new JobIntake(
            ports.jobs(),
            ports.parked(),
            ports.status(),
            transitions,
            materialisation,
            dispatch,
            metrics,
            clock);
    this.router = new JobEventRouter(intake, progress, leasing, commands, ports.status());
  }

  public JobEventRouter router() {
    return router;
  }
}

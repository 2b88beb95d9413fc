package io.gridrun.job;

import io.gridrun.job.application.JobEventRouter;
import io.gridrun.job.application.JobUseCases;
import io.gridrun.job.config.FleetProperties;
import io.gridrun.job.config.JobServiceProperties;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.job.domain.port.Leases;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.ParkedEvents;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.domain.port.Runs;
import io.gridrun.job.domain.port.StatusEvents;
import io.gridrun.job.domain.port.WaitingJobs;
import io.gridrun.job.messaging.KafkaOutbox;
import io.gridrun.job.messaging.StatusPublisher;
import io.gridrun.job.metrics.JobMetrics;
import io.gridrun.job.persistence.RunSlotStore;
import io.gridrun.platform.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Wires the use cases to the MongoDB adapters (persistence) and the Kafka ones (messaging). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class JobServiceConfiguration {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  StatusPublisher statusPublisher(EventPublisher publisher) {
    return new StatusPublisher(publisher);
  }

  @Bean
  Outbox outbox(EventPublisher publisher) {
    return new KafkaOutbox(publisher);
  }

  @Bean
  RunCapacity runCapacity(FleetProperties fleet, ReactiveMongoTemplate mongo) {
    return fleet.maxConcurrentRuns() == null
        ? RunCapacity.UNLIMITED
        : new RunSlotStore(mongo, fleet.maxConcurrentRuns());
  }

  @Bean
  JobEventRouter jobEventRouter(
      Jobs jobs,
      Runs runs,
      Leases leases,
      RunCapacity capacity,
      WaitingJobs waiting,
      ParkedEvents parked,
      Outbox outbox,
      StatusEvents status,
      JobServiceProperties properties,
      Clock clock,
      MeterRegistry meters) {
    JobUseCases.Ports ports =
        new JobUseCases.Ports(jobs, runs, leases, capacity, waiting, parked, outbox, status);
    return new JobUseCases(ports, properties, clock, new JobMetrics(meters)).router();
  }
}

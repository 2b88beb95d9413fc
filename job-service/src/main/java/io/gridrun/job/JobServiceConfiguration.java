package io.gridrun.job;

import io.gridrun.job.domain.JobEventHandler;
import io.gridrun.job.lease.RunCapacity;
import io.gridrun.job.metrics.JobMetrics;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.LeaseStore;
import io.gridrun.job.persistence.RunSlotStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.job.persistence.WaitingJobStore;
import io.gridrun.job.status.StatusPublisher;
import io.gridrun.platform.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

@Configuration(proxyBeanMethods = false)
@org.springframework.scheduling.annotation.EnableScheduling
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
  RunCapacity runCapacity(FleetProperties fleet, ReactiveMongoTemplate mongo) {
    return fleet.maxConcurrentRuns() == null
        ? RunCapacity.UNLIMITED
        : new RunSlotStore(mongo, fleet.maxConcurrentRuns());
  }

  @Bean
  JobEventHandler jobEventHandler(
      JobStore jobs,
      RunStore runs,
      LeaseStore leases,
      RunCapacity capacity,
      WaitingJobStore waiting,
      EventPublisher publisher,
      StatusPublisher status,
      JobServiceProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new JobEventHandler(
        jobs,
        runs,
        new JobEventHandler.Flight(leases, capacity, waiting),
        publisher,
        status,
        properties,
        clock,
        new JobMetrics(meters));
  }
}

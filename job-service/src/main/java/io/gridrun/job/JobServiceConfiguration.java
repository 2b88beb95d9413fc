package io.gridrun.job;

import io.gridrun.job.domain.JobEventHandler;
import io.gridrun.job.metrics.JobMetrics;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.job.status.StatusPublisher;
import io.gridrun.platform.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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
  JobEventHandler jobEventHandler(
      JobStore jobs,
      RunStore runs,
      EventPublisher publisher,
      StatusPublisher status,
      JobServiceProperties properties,
      Clock clock,
      MeterRegistry meters) {
    return new JobEventHandler(
        jobs, runs, publisher, status, properties, clock, new JobMetrics(meters));
  }
}

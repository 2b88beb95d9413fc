package io.gridrun.job;

import io.gridrun.job.domain.JobEventHandler;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.RunStore;
import io.gridrun.job.status.StatusPublisher;
import io.gridrun.platform.messaging.EventPublisher;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
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
      Clock clock) {
    return new JobEventHandler(jobs, runs, publisher, status, properties, clock);
  }
}

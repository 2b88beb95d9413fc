package io.gridrun.job;

import io.gridrun.job.application.JobEventRouter;
import io.gridrun.job.application.UseCaseContext;
import io.gridrun.job.config.FleetProperties;
import io.gridrun.job.domain.port.Outbox;
import io.gridrun.job.domain.port.RunCapacity;
import io.gridrun.job.messaging.KafkaOutbox;
import io.gridrun.job.messaging.StatusPublisher;
import io.gridrun.job.metrics.JobMetrics;
import io.gridrun.job.persistence.RunSlotStore;
import io.gridrun.platform.messaging.EventPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wires the use cases to the MongoDB adapters (persistence) and the Kafka ones (messaging): the
 * {@link UseCaseContext} is built from the port beans by its constructor.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@Import(UseCaseContext.class)
class JobServiceConfiguration {

  /**
   * UTC, ticking in milliseconds: what job-service stamps fits a BSON date exactly (see {@code
   * persistence/MongoMapping}).
   */
  @Bean
  Clock clock() {
    return Clock.tick(Clock.systemUTC(), java.time.Duration.ofMillis(1));
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
  JobMetrics jobMetrics(MeterRegistry meters) {
    return new JobMetrics(meters);
  }

  @Bean
  RunCapacity runCapacity(FleetProperties fleet, ReactiveMongoTemplate mongo) {
    return fleet.maxConcurrentRuns() == null
        ? RunCapacity.UNLIMITED
        : new RunSlotStore(mongo, fleet.maxConcurrentRuns());
  }

  @Bean
  JobEventRouter jobEventRouter(UseCaseContext context) {
    return new JobEventRouter(context);
  }
}

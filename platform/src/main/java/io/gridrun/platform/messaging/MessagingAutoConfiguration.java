package io.gridrun.platform.messaging;

import io.gridrun.common.event.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;

/**
 * Kafka wiring shared by every service: the event publisher, gridrun's topics with their
 * dead-letter topics, and the consumers' error handler ({@link ConsumerErrorHandling}: outages
 * waited out holding the partition, poison parked on {@code <topic>-dlt}) with the held partitions
 * in health ({@code consumers}) and metrics. The held partitions are also the containers' record
 * and batch interceptor, which Boot's listener container factory picks up.
 */
@AutoConfiguration
@EnableConfigurationProperties({KafkaTopicsProperties.class, ConsumerRetryProperties.class})
public class MessagingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  EventPublisher eventPublisher(KafkaTemplate<String, String> template) {
    return new EventPublisher(template);
  }

  @Bean
  KafkaAdmin.NewTopics gridrunTopics(KafkaTopicsProperties properties) {
    List<String> names =
        List.of(
            Topics.JOBS,
            Topics.SNAPSHOTS,
            Topics.RUNS,
            Topics.EXECUTION,
            Topics.STATUS,
            Topics.CONTROL);
    return new KafkaAdmin.NewTopics(
        names.stream()
            .flatMap(name -> java.util.stream.Stream.of(name, Topics.deadLetterOf(name)))
            .map(
                name ->
                    TopicBuilder.name(name)
                        .partitions(properties.partitions())
                        .replicas(properties.replicationFactor())
                        .build())
            .toArray(NewTopic[]::new));
  }

  @Bean
  @ConditionalOnMissingBean
  HeldPartitions heldPartitions(ObjectProvider<Clock> clock, ObjectProvider<MeterRegistry> meters) {
    return new HeldPartitions(
        clock.getIfAvailable(Clock::systemUTC), meters.getIfAvailable(SimpleMeterRegistry::new));
  }

  @Bean
  ConsumersHealthIndicator consumersHealthIndicator(HeldPartitions held) {
    return new ConsumersHealthIndicator(held);
  }

  @Bean
  @ConditionalOnMissingBean(CommonErrorHandler.class)
  DefaultErrorHandler deadLetteringErrorHandler(
      KafkaTemplate<String, String> template, ConsumerRetryProperties retry, HeldPartitions held) {
    return ConsumerErrorHandling.errorHandler(template, retry, held);
  }
}

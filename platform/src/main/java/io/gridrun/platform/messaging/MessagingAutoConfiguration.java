package io.gridrun.platform.messaging;

import io.gridrun.common.event.Topics;
import io.gridrun.common.event.UndecodableEventException;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;

/**
 * Kafka wiring shared by every service: the event publisher, gridrun's topics with their
 * dead-letter topics, and an error handler that retries a failing message a few times and then
 * parks it on {@code <topic>-dlt} so it never blocks its partition.
 */
@AutoConfiguration
@EnableConfigurationProperties(KafkaTopicsProperties.class)
public class MessagingAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(MessagingAutoConfiguration.class);

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
  @ConditionalOnMissingBean(CommonErrorHandler.class)
  DefaultErrorHandler deadLetteringErrorHandler(KafkaTemplate<String, String> template) {
    DeadLetterPublishingRecoverer recoverer =
        new DeadLetterPublishingRecoverer(
            template,
            (record, exception) -> {
              log.error(
                  "Parking message {}-{}@{} on the dead-letter topic: {}",
                  record.topic(),
                  record.partition(),
                  record.offset(),
                  exception.getMessage());
              return new org.apache.kafka.common.TopicPartition(
                  Topics.deadLetterOf(record.topic()), record.partition());
            });
    // Retries cover a transient failure and an event that arrives before the one it follows
    // (another topic); after about 12 s the message is parked.
    ExponentialBackOffWithMaxRetries backOff = new ExponentialBackOffWithMaxRetries(6);
    backOff.setInitialInterval(200L);
    backOff.setMultiplier(2.0);
    backOff.setMaxInterval(5_000L);
    DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
    handler.addNotRetryableExceptions(UndecodableEventException.class);
    return handler;
  }
}

package io.gridrun.platform.storage;

import io.gridrun.common.event.Topics;
import io.gridrun.platform.messaging.KafkaTopicsProperties;
import io.gridrun.storage.s3.S3Buckets;
import io.gridrun.storage.s3.S3Clients;
import io.gridrun.storage.s3.S3Settings;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.TopicBuilder;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * With {@code gridrun.storage.kind=s3}: the S3 client, the {@link ObjectStorage} the services use
 * instead of their shared directories, and the {@code gridrun.logs} topic that carries running
 * steps' log lines from the runners to the gateways.
 */
@AutoConfiguration
@ConditionalOnProperty(name = "gridrun.storage.kind", havingValue = "s3")
@EnableConfigurationProperties({ObjectStorageProperties.class, KafkaTopicsProperties.class})
public class ObjectStorageAutoConfiguration {

  @Bean(destroyMethod = "close")
  S3Client gridrunS3Client(ObjectStorageProperties properties) {
    S3Client s3 = S3Clients.create(settings(properties));
    if (properties.createBucket()) {
      S3Buckets.ensure(s3, properties.bucket());
    }
    return s3;
  }

  @Bean
  ObjectStorage objectStorage(S3Client gridrunS3Client, ObjectStorageProperties properties) {
    return new ObjectStorage(gridrunS3Client, settings(properties));
  }

  @Bean
  NewTopic gridrunLogsTopic(KafkaTopicsProperties topics, ObjectStorageProperties properties) {
    return TopicBuilder.name(Topics.LOGS)
        .partitions(topics.partitions())
        .replicas(topics.replicationFactor())
        .compact()
        .config(
            TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
            String.valueOf(properties.liveLogLag().toMillis()))
        .config(TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(60 * 60 * 1000))
        .build();
  }

  private static S3Settings settings(ObjectStorageProperties properties) {
    if (properties.bucket() == null || properties.bucket().isBlank()) {
      throw new IllegalStateException(
          "gridrun.storage.kind=s3 needs gridrun.storage.s3.bucket (GRIDRUN_STORAGE_S3_BUCKET)");
    }
    return new S3Settings(
        properties.bucket(),
        properties.prefix(),
        properties.endpoint(),
        properties.region(),
        properties.pathStyle());
  }
}

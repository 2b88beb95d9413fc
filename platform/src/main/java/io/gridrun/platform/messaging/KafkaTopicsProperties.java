package io.gridrun.platform.messaging;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How gridrun's topics are created when they do not exist yet.
 *
 * @param partitions partitions per topic; bounds how many runners share the run queue
 * @param replicationFactor 1 for a single broker, 3 for a production cluster
 */
@ConfigurationProperties("gridrun.kafka")
@Validated
public record KafkaTopicsProperties(
    @DefaultValue("6") @Min(1) int partitions,
    @DefaultValue("1") @Min(1) short replicationFactor) {}

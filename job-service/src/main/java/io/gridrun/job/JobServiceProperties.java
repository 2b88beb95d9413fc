package io.gridrun.job;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * job-service settings.
 *
 * @param expansionBatch run documents written per insert while a grid is expanded
 * @param dispatchBatch run requests published per round while dispatching
 * @param listenerConcurrency consumer threads for the job-keyed topics
 */
@ConfigurationProperties("gridrun.jobs")
@Validated
public record JobServiceProperties(
    @DefaultValue("1000") @Min(1) int expansionBatch,
    @DefaultValue("500") @Min(1) int dispatchBatch,
    @DefaultValue("2") @Min(1) int listenerConcurrency) {}

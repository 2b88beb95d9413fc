package io.gridrun.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's settings.
 *
 * @param jobServiceUrl where job-service answers reads of jobs and runs
 * @param snapshotServiceUrl where snapshot-service answers environments, projects and snapshots
 * @param maxGridSize the largest number of runs one job may have
 * @param visibilityWait how long a job submission waits for job-service to show the new job, so a
 *     client that reads right after {@code 202} finds it
 */
@ConfigurationProperties("gridrun.gateway")
@Validated
public record GatewayProperties(
    @NotNull @DefaultValue("http://localhost:8081") URI jobServiceUrl,
    @NotNull @DefaultValue("http://localhost:8082") URI snapshotServiceUrl,
    @DefaultValue("100000") @Min(1) @Max(100_000_000) long maxGridSize,
    @NotNull @DefaultValue("3s") Duration visibilityWait) {}

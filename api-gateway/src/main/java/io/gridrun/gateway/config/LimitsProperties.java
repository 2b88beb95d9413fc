package io.gridrun.gateway.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Caps on what a client controls at the gateway (see docs/security.md, "Limits").
 *
 * @param maxParameterBytes the largest parameter value (in {@code grid}, {@code include}, {@code
 *     exclude}) or {@code env}/{@code secrets} value of a job, in bytes of its JSON
 * @param maxTimeout the longest job {@code timeout}
 * @param maxStreamsPerClient event streams and followed logs one client (its token, or its address
 *     without one) may hold open at once; more get {@code 429}
 * @param maxRunsPerJob the most runs one job may have over all its batches (the grid at submission,
 *     then every cron firing, trigger and re-run); {@code 400} beyond
 */
@ConfigurationProperties("gridrun.gateway.limits")
@Validated
public record LimitsProperties(
    @DefaultValue("4096") @Min(16) @Max(16 * 1024 * 1024) int maxParameterBytes,
    @NotNull @DefaultValue("30d") Duration maxTimeout,
    @DefaultValue("8") @Min(1) int maxStreamsPerClient,
    @DefaultValue("100000") @Min(1) @Max(1_000_000_000) long maxRunsPerJob) {}

package io.gridrun.job.config;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the whole fleet, enforced by job-service when it requests runs.
 *
 * @param maxConcurrentRuns at most this many runs in flight (requested and not ended) across all
 *     jobs; runs beyond it wait {@code PENDING}. Null (default): no cap beyond each job's {@code
 *     maxParallelRuns}. Every job-service instance must be given the same value.
 */
@ConfigurationProperties("gridrun")
@Validated
public record FleetProperties(@Min(1) Integer maxConcurrentRuns) {}

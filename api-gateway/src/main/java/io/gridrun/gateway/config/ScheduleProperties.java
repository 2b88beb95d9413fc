package io.gridrun.gateway.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param minInterval the shortest time between two firings of a job's cron schedule; a schedule
 *     that fires more often is refused ({@code GRIDRUN_CRON_MIN_INTERVAL} on the local stack)
 */
@ConfigurationProperties("gridrun.schedule")
@Validated
public record ScheduleProperties(@NotNull @DefaultValue("1m") Duration minInterval) {}

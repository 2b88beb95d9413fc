package io.gridrun.platform.messaging;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a consumer retries a message it could not handle. An outage (database or broker unreachable,
 * a timeout) is retried without limit, the wait growing from {@code initialInterval} by {@code
 * multiplier} up to {@code maxInterval}, holding the message's partition; any other failure is
 * retried {@code otherAttempts} times on the same schedule and then parked on the dead-letter
 * topic.
 *
 * @param initialInterval the first wait
 * @param multiplier growth of the wait per retry
 * @param maxInterval the longest wait; keep it well under {@code max.poll.interval.ms}
 * @param otherAttempts retries of a failure that is neither poison nor an outage
 */
@ConfigurationProperties("gridrun.kafka.retry")
@Validated
public record ConsumerRetryProperties(
    @DefaultValue("200ms") Duration initialInterval,
    @DefaultValue("2.0") double multiplier,
    @DefaultValue("10s") Duration maxInterval,
    @DefaultValue("6") @Min(0) int otherAttempts) {}

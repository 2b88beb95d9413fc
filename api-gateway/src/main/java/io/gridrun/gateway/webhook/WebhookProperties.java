package io.gridrun.gateway.webhook;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook deliveries.
 *
 * @param timeout how long one delivery attempt may take
 * @param initialBackoff wait before the first retry; doubled for each next one. Which addresses
 *     webhooks may reach is {@link io.gridrun.gateway.outbound.OutboundProperties}.
 * @param retryFor stop retrying a delivery after this long
 */
@ConfigurationProperties("gridrun.gateway.webhooks")
@Validated
public record WebhookProperties(
    @NotNull @DefaultValue("10s") Duration timeout,
    @NotNull @DefaultValue("1s") Duration initialBackoff,
    @NotNull @DefaultValue("1h") Duration retryFor) {}

package io.gridrun.gateway.webhook;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook deliveries.
 *
 * @param allowedHosts host names (or {@code *.example.com} suffixes) webhooks may point to; empty
 *     allows all, so a local receiver works out of the box. Set it in production: a webhook URL is
 *     a request the gateway makes on a user's behalf (server-side request forgery).
 * @param timeout how long one delivery attempt may take
 * @param initialBackoff wait before the first retry; doubled (by {@code factor}) for each next one
 * @param retryFor stop retrying a delivery after this long
 */
@ConfigurationProperties("gridrun.gateway.webhooks")
@Validated
public record WebhookProperties(
    @DefaultValue List<String> allowedHosts,
    @NotNull @DefaultValue("10s") Duration timeout,
    @NotNull @DefaultValue("1s") Duration initialBackoff,
    @DecimalMin("1.0") @DefaultValue("2.0") double factor,
    @NotNull @DefaultValue("1h") Duration retryFor) {}

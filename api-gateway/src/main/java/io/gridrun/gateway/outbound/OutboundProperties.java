package io.gridrun.gateway.outbound;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the gateway may send requests a user chose (webhook deliveries).
 *
 * @param allowedHosts host names ({@code hooks.example.com}), {@code *.suffix} patterns, IP
 *     addresses or CIDR ranges ({@code 10.1.0.0/16}) that may be reached although they are (or
 *     resolve to) loopback, link-local, private, unique-local, unspecified or multicast addresses.
 *     Empty by default: only public addresses are reached. A comma-separated string binds too.
 */
@ConfigurationProperties("gridrun.webhooks")
@Validated
public record OutboundProperties(@DefaultValue List<String> allowedHosts) {}

package io.gridrun.gateway.security;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the gateway.
 *
 * @param adminToken when set, a valid {@code admin} token from start-up on (stored hashed, named
 *     {@code admin}); the local stack sets it to the content of {@code $GRIDRUN_HOME/token}
 * @param allowedOrigins origins besides the gateway's own (e.g. {@code https://gridrun.example.com}
 *     behind a proxy) whose browser requests are served; a request with any other {@code Origin} is
 *     refused, whatever its credentials
 * @param allowedHosts when not empty, the only {@code Host} names the gateway answers to (against
 *     DNS rebinding); empty: any host
 */
@ConfigurationProperties("gridrun.security")
@Validated
public record SecurityProperties(
    String adminToken,
    @DefaultValue List<String> allowedOrigins,
    @DefaultValue List<String> allowedHosts) {}

package io.gridrun.snapshot.config;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The container engine that image references are resolved against.
 *
 * @param host the engine's address, e.g. {@code unix:///var/run/docker.sock} or {@code
 *     tcp://host:2375}
 */
@ConfigurationProperties("gridrun.docker")
@Validated
public record DockerProperties(
    @NotBlank @DefaultValue("unix:///var/run/docker.sock") String host) {}

package io.gridrun.runner.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Docker engine and how step containers are confined.
 *
 * @param host the engine, e.g. {@code unix:///var/run/docker.sock} or {@code tcp://host:2375}
 * @param network the network mode of containers whose step does not ask for a network; {@code none}
 *     (loopback only)
 * @param openNetwork the network mode of containers whose step sets {@code "network": true}
 * @param pidsLimit at most this many processes per container (fork bombs)
 */
@ConfigurationProperties("gridrun.docker")
@Validated
public record DockerProperties(
    @NotBlank @DefaultValue("unix:///var/run/docker.sock") String host,
    @NotBlank @DefaultValue("none") String network,
    @NotBlank @DefaultValue("bridge") String openNetwork,
    @Min(1) @DefaultValue("1024") long pidsLimit) {}

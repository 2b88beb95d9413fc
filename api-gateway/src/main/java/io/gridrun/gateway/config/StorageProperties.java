package io.gridrun.gateway.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param logs the step log directory the runners write to; the gateway only reads it
 */
@ConfigurationProperties("gridrun.storage")
@Validated
public record StorageProperties(@NotNull Path logs) {}

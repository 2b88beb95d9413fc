package io.gridrun.gateway.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param logs the step log directory the runners write to; the gateway only reads it
 * @param artifacts steps' artifacts, written by the runners; default {@code artifacts} next to
 *     {@code logs}
 */
@ConfigurationProperties("gridrun.storage")
@Validated
public record StorageProperties(@NotNull Path logs, Path artifacts) {

  public Path artifactsDir() {
    return artifacts != null ? artifacts : logs.toAbsolutePath().resolveSibling("artifacts");
  }
}

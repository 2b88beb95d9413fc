package io.gridrun.gateway.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param logs the step log directory the runners write to; the gateway only reads it. With {@code
 *     gridrun.storage.kind=s3}, the gateway's own copy of stored logs (default: a temporary
 *     directory)
 * @param artifacts steps' artifacts, written by the runners; default {@code artifacts} next to
 *     {@code logs}
 */
@ConfigurationProperties("gridrun.storage")
@Validated
public record StorageProperties(Path logs, Path artifacts) {

  public Path artifactsDir() {
    return artifacts != null ? artifacts : logs.toAbsolutePath().resolveSibling("artifacts");
  }
}

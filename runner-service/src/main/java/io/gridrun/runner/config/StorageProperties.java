package io.gridrun.runner.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Shared directories.
 *
 * @param blobs the blob store snapshot-service writes
 * @param logs where step logs go, read by the gateways
 * @param data the shared {@code /data}
 * @param artifacts steps' artifacts (a blob store and an index per run and step), read by the
 *     gateways; default {@code artifacts} next to {@code logs}
 */
@ConfigurationProperties("gridrun.storage")
@Validated
public record StorageProperties(
    @NotNull Path blobs, @NotNull Path logs, @NotNull Path data, Path artifacts) {

  /** Steps' artifacts; default {@code artifacts} next to the log store. */
  public Path artifactsDir() {
    return artifacts != null ? artifacts : logs.toAbsolutePath().resolveSibling("artifacts");
  }
}

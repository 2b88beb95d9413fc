package io.gridrun.runner.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where a runner's data is.
 *
 * @param kind {@code filesystem}: directories shared by every service (the default); {@code s3}: an
 *     S3-compatible bucket ({@code gridrun.storage.s3.*}) and the {@code gridrun.logs} topic
 *     instead, nothing shared but {@code /data}
 * @param blobs the blob store snapshot-service writes (filesystem only)
 * @param logs where step logs go, read by the gateways; with {@code s3}, this runner's own copy
 *     (default {@code .logs} under the work directory)
 * @param data the shared {@code /data}; with {@code s3} it must exist when the runner starts
 * @param artifacts steps' artifacts (a blob store and an index per run and step), read by the
 *     gateways; default {@code artifacts} next to {@code logs} (filesystem only)
 * @param blobCache with {@code s3}, this host's cache of blobs (default {@code blob-cache} next to
 *     the work directory, so runner processes of one host share it)
 * @param blobCacheMax the most the blob cache may hold; beyond it the least recently used blobs are
 *     removed after a fetch (a blob is used when a working copy takes it)
 */
@ConfigurationProperties("gridrun.storage")
@Validated
public record StorageProperties(
    @DefaultValue("filesystem") String kind,
    Path blobs,
    Path logs,
    @NotNull Path data,
    Path artifacts,
    Path blobCache,
    @NotNull @DefaultValue("10GB") DataSize blobCacheMax) {

  public boolean objectStore() {
    return "s3".equalsIgnoreCase(kind);
  }

  /** Steps' artifacts; default {@code artifacts} next to the log store. */
  public Path artifactsDir() {
    return artifacts != null ? artifacts : logs.toAbsolutePath().resolveSibling("artifacts");
  }
}

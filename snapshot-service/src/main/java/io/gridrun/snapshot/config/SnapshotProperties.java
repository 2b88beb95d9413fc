package io.gridrun.snapshot.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Snapshot settings.
 *
 * @param projectsRoot the directory holding one directory per project
 * @param imageResolution {@code docker} pins images to their ids; {@code none} keeps the reference
 *     (no container engine, process executor)
 * @param maxFiles a project with more files cannot be snapshotted
 * @param maxTotalBytes a project larger than this cannot be snapshotted
 * @param maxUploadBytes an uploaded project larger than this unpacked (hard-link copies included)
 *     is refused with 413
 * @param maxUploadCompressedBytes an upload larger than this as sent is refused with 413
 * @param maxUploadEntries an archive with more entries (files, directories, links) is refused with
 *     413
 * @param maxUploadPathLength an entry path or link target longer than this is refused with 400
 * @param gcInterval how often unreferenced blobs are collected
 * @param gcGrace blobs written or re-put more recently than this are never collected, so that a
 *     snapshot in progress keeps its blobs
 * @param statCache whether a snapshot reuses the hashes of files whose size, modification time,
 *     change time and inode are unchanged since the project's last snapshot (git's index); false:
 *     every snapshot reads every file
 * @param statCacheDir where those hashes are kept, one file per project; default {@code stat-cache}
 *     next to the blob store
 */
@ConfigurationProperties("gridrun.snapshot")
@Validated
public record SnapshotProperties(
    @NotNull Path projectsRoot,
    @NotNull @DefaultValue("docker") ImageResolution imageResolution,
    @DefaultValue("100000") @Min(1) long maxFiles,
    @DefaultValue("10737418240") @Min(1) long maxTotalBytes,
    @DefaultValue("1073741824") @Min(1) long maxUploadBytes,
    @DefaultValue("1073741824") @Min(1) long maxUploadCompressedBytes,
    @DefaultValue("100000") @Min(1) @Max(100_000_000) long maxUploadEntries,
    @DefaultValue("1024") @Min(64) @Max(65536) int maxUploadPathLength,
    @NotNull @DefaultValue("1h") Duration gcInterval,
    @NotNull @DefaultValue("1h") Duration gcGrace,
    @DefaultValue("true") boolean statCache,
    Path statCacheDir) {

  public io.gridrun.snapshot.project.UploadLimits uploadLimits() {
    return new io.gridrun.snapshot.project.UploadLimits(
        maxUploadCompressedBytes, maxUploadBytes, maxUploadEntries, maxUploadPathLength);
  }

  public enum ImageResolution {
    DOCKER,
    NONE
  }
}

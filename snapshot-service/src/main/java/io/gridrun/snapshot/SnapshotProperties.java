package io.gridrun.snapshot;

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
 * @param maxUploadBytes an uploaded project larger than this (unpacked, or as sent) is refused
 * @param gcInterval how often unreferenced blobs are collected
 * @param gcGrace blobs written or re-put more recently than this are never collected, so that a
 *     snapshot in progress keeps its blobs
 */
@ConfigurationProperties("gridrun.snapshot")
@Validated
public record SnapshotProperties(
    @NotNull Path projectsRoot,
    @NotNull @DefaultValue("docker") ImageResolution imageResolution,
    @DefaultValue("100000") @Min(1) long maxFiles,
    @DefaultValue("10737418240") @Min(1) long maxTotalBytes,
    @DefaultValue("1073741824") @Min(1) long maxUploadBytes,
    @NotNull @DefaultValue("1h") Duration gcInterval,
    @NotNull @DefaultValue("1h") Duration gcGrace) {

  public enum ImageResolution {
    DOCKER,
    NONE
  }
}

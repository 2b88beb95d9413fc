package io.gridrun.snapshot.config;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param blobs the blob store shared with the runners
 */
@ConfigurationProperties("gridrun.storage")
@Validated
public record StorageProperties(@NotNull Path blobs) {}

package io.gridrun.snapshot.environment;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Environments that gridrun builds.
 *
 * @param buildLogs where build logs go ({@code <name>/<version>.log}); default {@code
 *     environment-builds} next to the blob store
 * @param buildNetwork the network mode of builds ({@code host}: the engine here has no bridge);
 *     steps never get it
 * @param buildTimeout a build running longer fails
 * @param parallelBuilds builds at once over all environments (one per environment always)
 * @param buildCache whether Docker's layer cache may stand in for running a setup script again
 *     (same base, byte-identical script); default off: every build runs its script
 * @param buildLease a {@code BUILDING} version whose instance has not renewed its lease for this
 *     long is {@code FAILED} (see {@link BuildLease})
 */
@ConfigurationProperties("gridrun.environments")
@Validated
public record EnvironmentsProperties(
    Path buildLogs,
    @NotBlank @DefaultValue("host") String buildNetwork,
    @NotNull @DefaultValue("30m") Duration buildTimeout,
    @DefaultValue("1") @Min(1) int parallelBuilds,
    @DefaultValue("false") boolean buildCache,
    @NotNull @DefaultValue("1m") Duration buildLease) {}

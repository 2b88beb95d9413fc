package io.gridrun.snapshot.environment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A build's lease, so that several snapshot-service instances can share one database: the instance
 * running a build records itself as the version's {@code owner} and renews {@code heartbeatAt}
 * every {@code lease / 3}; any instance, at start and then every {@code lease / 2}, fails a {@code
 * BUILDING} version whose heartbeat is older than the lease (its owner stopped mid-build), so that
 * a new build can start. A version built by a live instance elsewhere is left alone. A version
 * recorded before leases existed counts from its {@code startedAt}.
 */
public class BuildLease {

  private static final Logger log = LoggerFactory.getLogger(BuildLease.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final EnvironmentStore store;
  private final EnvironmentBuilds builds;
  private final Duration lease;
  private final Clock clock;

  public BuildLease(EnvironmentStore store, EnvironmentBuilds builds, Duration lease, Clock clock) {
    this.store = store;
    this.builds = builds;
    this.lease = lease;
    this.clock = clock;
  }

  public Duration lease() {
    return lease;
  }

  /** Renews the heartbeat of every build running here. */
  public void renew() {
    for (Map.Entry<String, Integer> build : builds.active().entrySet()) {
      try {
        store
            .find(build.getKey())
            .filter(environment -> building(environment, build.getValue()))
            .map(
                environment ->
                    environment.withVersion(
                        version(environment, build.getValue()).beating(clock.instant())))
            .flatMap(store::save)
            .block(TIMEOUT);
      } catch (RuntimeException e) {
        log.warn("Could not renew the lease of the build of {}", build.getKey(), e);
      }
    }
  }

  /** Fails the {@code BUILDING} versions whose owner stopped renewing the lease. */
  public void failExpired() {
    Instant expired = clock.instant().minus(lease);
    for (Environment environment : store.all()) {
      for (EnvironmentVersion version : environment.versions()) {
        Instant last = version.heartbeatAt() != null ? version.heartbeatAt() : version.startedAt();
        if (version.status() == EnvironmentVersion.Status.BUILDING
            && !builds.building(environment.name(), version.version())
            && (last == null || last.isBefore(expired))) {
          log.warn(
              "Build {} of environment {} lost its owner {}: FAILED",
              version.version(),
              environment.name(),
              version.owner());
          store
              .save(
                  environment.withVersion(
                      version.failed(
                          "interrupted: the snapshot-service instance building it stopped (no"
                              + " heartbeat for "
                              + lease.toSeconds()
                              + " s)",
                          clock.instant())))
              .block(TIMEOUT);
        }
      }
    }
  }

  private static boolean building(Environment environment, int number) {
    return environment.versions().stream()
        .anyMatch(v -> v.version() == number && v.status() == EnvironmentVersion.Status.BUILDING);
  }

  private static EnvironmentVersion version(Environment environment, int number) {
    return environment.versions().stream()
        .filter(v -> v.version() == number)
        .findFirst()
        .orElseThrow();
  }
}

package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * One build of an environment.
 *
 * @param version from 1
 * @param image the tag it was built under, {@code gridrun/env-<name>:<version>}
 * @param imageId {@code sha256:…} once {@code READY}
 * @param reason why it {@code FAILED}
 * @param builtAt when the build ended; null while {@code BUILDING}
 * @param owner the snapshot-service instance that runs the build (see {@link BuildLease})
 * @param heartbeatAt when that instance last said the build goes on
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentVersion(
    int version,
    Status status,
    String reason,
    String image,
    String imageId,
    String base,
    String setup,
    Instant startedAt,
    Instant builtAt,
    String owner,
    Instant heartbeatAt) {

  public enum Status {
    BUILDING,
    READY,
    FAILED
  }

  public EnvironmentVersion ready(String id, Instant at) {
    return new EnvironmentVersion(
        version, Status.READY, null, image, id, base, setup, startedAt, at, owner, heartbeatAt);
  }

  public EnvironmentVersion failed(String why, Instant at) {
    return new EnvironmentVersion(
        version, Status.FAILED, why, image, null, base, setup, startedAt, at, owner, heartbeatAt);
  }

  public EnvironmentVersion beating(Instant at) {
    return new EnvironmentVersion(
        version, status, reason, image, imageId, base, setup, startedAt, builtAt, owner, at);
  }
}

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
    Instant builtAt) {

  public enum Status {
    BUILDING,
    READY,
    FAILED
  }

  public EnvironmentVersion ready(String id, Instant at) {
    return new EnvironmentVersion(
        version, Status.READY, null, image, id, base, setup, startedAt, at);
  }

  public EnvironmentVersion failed(String why, Instant at) {
    return new EnvironmentVersion(
        version, Status.FAILED, why, image, null, base, setup, startedAt, at);
  }
}

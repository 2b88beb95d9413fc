package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An environment as the API answers it (docs/api.md). A reference to an image has {@code name,
 * image, status, env, network, updatedAt}; an environment gridrun builds has {@code base} and
 * {@code setup} after its image, its newest build's {@code status, version, reason, imageId} once
 * it has one, and every build in {@code versions}.
 */
record EnvironmentView(
    String name,
    String image,
    @JsonUnwrapped Recipe recipe,
    @JsonInclude(JsonInclude.Include.NON_NULL) EnvironmentVersion.Status status,
    @JsonUnwrapped Newest newest,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<VersionView> versions,
    Map<String, String> env,
    boolean network,
    Instant updatedAt) {

  /** What gridrun builds the image from. */
  record Recipe(String base, String setup) {}

  /** The newest build, besides its status. */
  record Newest(int version, String reason, String imageId) {}

  /** One build, with the address of its log. */
  record VersionView(
      int version,
      EnvironmentVersion.Status status,
      String reason,
      String image,
      String imageId,
      Instant startedAt,
      Instant builtAt,
      String log) {

    static VersionView of(String name, EnvironmentVersion version) {
      return new VersionView(
          version.version(),
          version.status(),
          version.reason(),
          version.image(),
          version.imageId(),
          version.startedAt(),
          version.builtAt(),
          "/api/v1/environments/" + name + "/builds/" + version.version() + "/log");
    }
  }

  static EnvironmentView of(Environment environment) {
    boolean network = Boolean.TRUE.equals(environment.network());
    if (!environment.built()) {
      return new EnvironmentView(
          environment.name(),
          environment.image(),
          null,
          EnvironmentVersion.Status.READY,
          null,
          null,
          environment.env(),
          network,
          environment.updatedAt());
    }
    return new EnvironmentView(
        environment.name(),
        environment.newestReady().map(EnvironmentVersion::image).orElse(null),
        new Recipe(environment.base(), environment.setup()),
        environment.newest().map(EnvironmentVersion::status).orElse(null),
        environment
            .newest()
            .map(n -> new Newest(n.version(), n.reason(), n.imageId()))
            .orElse(null),
        environment.versions().stream().map(v -> VersionView.of(environment.name(), v)).toList(),
        environment.env(),
        network,
        environment.updatedAt());
  }
}

package io.gridrun.snapshot.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The record the API answers serialises to the very JSON the map it replaced did: the same keys, in
 * the same order, absent where they were absent and null where they were null.
 */
class EnvironmentViewTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  @Test
  void aReferenceToAnImage() {
    same(new Environment("busybox", "gridrun/busybox:test", Map.of("A", "1"), AT, true));
  }

  @Test
  void aBuiltEnvironmentWithAReadyAndAFailedVersion() {
    EnvironmentVersion ready =
        new EnvironmentVersion(
            1,
            EnvironmentVersion.Status.READY,
            null,
            "gridrun/env-model:1",
            "sha256:1",
            "debian",
            "apt-get x",
            AT,
            AT,
            null,
            null);
    EnvironmentVersion failed =
        new EnvironmentVersion(
            2,
            EnvironmentVersion.Status.FAILED,
            "exit 1",
            "gridrun/env-model:2",
            null,
            "debian",
            "apt-get y",
            AT,
            AT,
            null,
            null);
    same(
        new Environment(
            "model", null, Map.of(), AT, null, "debian", "apt-get y", List.of(ready, failed)));
  }

  @Test
  void aBuiltEnvironmentThatHasNoVersionYet() {
    same(new Environment("model", null, Map.of(), AT, false, "debian", "", List.of()));
  }

  private static void same(Environment environment) {
    assertThat(JSON.writeValueAsString(EnvironmentView.of(environment)))
        .isEqualTo(JSON.writeValueAsString(mapView(environment)));
  }

  /** The map EnvironmentController answered before it answered records. */
  private static Map<String, Object> mapView(Environment environment) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", environment.name());
    if (!environment.built()) {
      view.put("image", environment.image());
      view.put("status", EnvironmentVersion.Status.READY);
    } else {
      view.put("image", environment.newestReady().map(EnvironmentVersion::image).orElse(null));
      view.put("base", environment.base());
      view.put("setup", environment.setup());
      environment
          .newest()
          .ifPresent(
              newest -> {
                view.put("status", newest.status());
                view.put("version", newest.version());
                view.put("reason", newest.reason());
                view.put("imageId", newest.imageId());
              });
      view.put(
          "versions",
          environment.versions().stream().map(v -> versionView(environment.name(), v)).toList());
    }
    view.put("env", environment.env());
    view.put("network", Boolean.TRUE.equals(environment.network()));
    view.put("updatedAt", environment.updatedAt());
    return view;
  }

  private static Map<String, Object> versionView(String name, EnvironmentVersion version) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("version", version.version());
    view.put("status", version.status());
    view.put("reason", version.reason());
    view.put("image", version.image());
    view.put("imageId", version.imageId());
    view.put("startedAt", version.startedAt());
    view.put("builtAt", version.builtAt());
    view.put("log", "/api/v1/environments/" + name + "/builds/" + version.version() + "/log");
    return view;
  }
}

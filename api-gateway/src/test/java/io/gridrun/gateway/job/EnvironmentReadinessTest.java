package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A job is refused while an environment gridrun builds has no READY version. */
class EnvironmentReadinessTest {

  @Test
  void anImageEnvironmentAndABuiltOneWithAReadyVersionAreUsable() {
    assertThat(SnapshotServiceClient.stateOf("a", "{\"image\": \"x\"}").notReady()).isNull();
    // the newest version fails, an older one is READY: jobs use that one
    assertThat(
            SnapshotServiceClient.stateOf(
                    "b", "{\"status\": \"FAILED\", \"version\": 2, \"image\": \"gridrun/env-b:1\"}")
                .notReady())
        .isNull();
    assertThat(
            JobSubmissionService.registeredAndReady(
                List.of(
                    new SnapshotServiceClient.EnvironmentState("a", true, null),
                    new SnapshotServiceClient.EnvironmentState("gone", false, null))))
        .containsExactly("a");
  }

  @Test
  void aBuiltEnvironmentWithoutAReadyVersionRefusesTheJob() {
    SnapshotServiceClient.EnvironmentState failed =
        SnapshotServiceClient.stateOf(
            "py",
            "{\"status\": \"FAILED\", \"version\": 1, \"reason\": \"setup script failed: exit"
                + " code 1\", \"image\": null}");
    assertThat(failed.notReady())
        .isEqualTo("version 1 is FAILED: setup script failed: exit code 1");
    assertThatThrownBy(() -> JobSubmissionService.registeredAndReady(List.of(failed)))
        .isInstanceOf(InvalidJobRequestException.class)
        .hasMessageContaining(
            "environment 'py' has no READY version (version 1 is FAILED: setup script failed:"
                + " exit code 1)");
  }
}

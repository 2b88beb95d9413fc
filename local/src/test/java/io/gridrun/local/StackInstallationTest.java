package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Each stack's runners label their containers with the stack's installation, one per home. */
class StackInstallationTest {

  private static StackProperties of(String home) {
    Path dir = Path.of(home);
    return new StackProperties(
        new StackSettings(dir, dir.resolve("projects"), dir.resolve("data"), 0, 0, true, true),
        dir.resolve("secrets.key"));
  }

  @Test
  void everyRunnerOfAStackHasItsInstallationAndAnotherHomeHasAnother() {
    StackProperties one = of("/tmp/stack-one");
    String installation = one.installation();

    assertThat(one.runner(1)).containsEntry("gridrun.docker.installation", installation);
    assertThat(one.runner(2)).containsEntry("gridrun.docker.installation", installation);
    assertThat(one.joiningRunner("runner-b"))
        .containsEntry("gridrun.docker.installation", installation);
    assertThat(of("/tmp/stack-one").installation()).isEqualTo(installation);
    assertThat(of("/tmp/stack-two").installation()).isNotEqualTo(installation);
    // the runners' stable ids, adopted after a restart, are the installation's
    assertThat(one.runner(1).get("gridrun.runner.id")).startsWith(installation + "-");
  }
}

package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StackPropertiesTest {

  private static StackProperties on(Path home) {
    return new StackProperties(
        new StackSettings(home, home.resolve("projects"), home.resolve("data"), 0, 0, false, true),
        home.resolve("secret.key"));
  }

  @Test
  void everyRunnerOfAStackIsOfOneFleetTheSameAtEveryStartAndAnotherHomesIsAnother() {
    StackProperties stack = on(Path.of("/srv/home-a"));
    String fleet = stack.runner(1).get("gridrun.runner.fleet");

    assertThat(fleet).startsWith("local-");
    assertThat(stack.runner(2)).containsEntry("gridrun.runner.fleet", fleet);
    assertThat(stack.joiningRunner("extra")).containsEntry("gridrun.runner.fleet", fleet);
    assertThat(on(Path.of("/srv/home-a")).runner(1)).containsEntry("gridrun.runner.fleet", fleet);
    assertThat(on(Path.of("/srv/home-b")).runner(1).get("gridrun.runner.fleet"))
        .isNotEqualTo(fleet);
    // the runner ids stay what they were: a restarted stack adopts what its runners left
    assertThat(stack.runner(1).get("gridrun.runner.id")).isEqualTo(fleet + "-1");
  }
}

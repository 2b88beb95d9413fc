package io.gridrun.snapshot.environment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestEnvironmentsTest {

  @Test
  void sudoIsDroppedWhereItStartsACommandAndNowhereElse() {
    assertThat(
            OrchestEnvironments.withoutSudo(
                "#!/bin/bash\n"
                    + "sudo apt-get update\n"
                    + "  sudo -E apt-get install -y python3-nbclient && sudo -u root touch /x\n"
                    + "echo pseudo sudoku; echo done | sudo tee /y\n"))
        .isEqualTo(
            "#!/bin/bash\n"
                + "apt-get update\n"
                + "  apt-get install -y python3-nbclient && touch /x\n"
                + "echo pseudo sudoku; echo done | tee /y\n");
  }

  @Test
  void orchestsPythonBasesMapToTheLocalPythonImageByDefaultAndOthersByConfiguration() {
    OrchestProperties defaults = new OrchestProperties(null);
    assertThat(defaults.localBase("orchest/base-kernel-py")).isEqualTo("gridrun/python:3-debian");
    assertThat(defaults.localBase("orchest/base-kernel-py-gpu:v2022.10.0"))
        .isEqualTo("gridrun/python:3-debian");
    assertThat(defaults.localBase("orchest/base-kernel-r")).isNull();

    OrchestProperties configured = new OrchestProperties(Map.of("orchest/base-kernel-r", "my/r:4"));
    assertThat(configured.localBase("orchest/base-kernel-r:v1")).isEqualTo("my/r:4");
    assertThat(configured.localBase("orchest/base-kernel-py")).isEqualTo("gridrun/python:3-debian");
  }
}

package io.gridrun.runner.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DataViewTest {

  @Test
  void aViewOfALiveRunnerProcessIsNotStaleAndOneOfADeadOneIs() throws Exception {
    Process live = new ProcessBuilder("sleep", "30").start();
    try {
      assertThat(DataView.stale("p" + live.pid() + "-3f2a")).as("a live runner's").isFalse();
      assertThat(DataView.stale("p" + ProcessHandle.current().pid() + "-3f2a"))
          .as("this process's own")
          .isFalse();
    } finally {
      live.destroyForcibly().waitFor();
    }
    assertThat(DataView.stale("p" + live.pid() + "-3f2a")).as("once it is gone").isTrue();
    assertThat(DataView.stale("0b8f2c1e-7d4a-4f7e-9a51-2c3d4e5f6a7b"))
        .as("a view named before owners were recorded")
        .isTrue();
  }
}

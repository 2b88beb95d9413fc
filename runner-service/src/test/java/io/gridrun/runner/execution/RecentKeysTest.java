package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecentKeysTest {

  @Test
  void remembersKeysUpToItsCapacityAndForgetsTheOldestFirst() {
    RecentKeys keys = new RecentKeys(2);

    assertThat(keys.add("a")).isTrue();
    assertThat(keys.add("a")).as("seen before").isFalse();
    keys.add("b");
    keys.add("c");

    assertThat(keys.contains("a")).isFalse();
    assertThat(keys.contains("b")).isTrue();
    assertThat(keys.contains("c")).isTrue();
  }
}

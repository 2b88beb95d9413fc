package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.pipeline.NetworkPolicy;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepIsolationChoiceTest {

  private static final PinnedEnvironment OFFLINE =
      new PinnedEnvironment("e", "img", "sha256:1", Map.of());
  private static final PinnedEnvironment ONLINE =
      new PinnedEnvironment("e", "img", "sha256:1", Map.of(), true);

  @Test
  void aStepGetsANetworkWhenItOrElseItsEnvironmentAsksForOne() {
    StepDefinition silent = new StepDefinition("s", "s.sh", "e", null, null, null);
    StepDefinition offline =
        new StepDefinition("s", "s.sh", "e", null, null, null, null, null, null, false, null);

    assertThat(StepRunner.isolationOf(silent, OFFLINE).network()).isFalse();
    assertThat(StepRunner.isolationOf(silent, ONLINE).network()).isTrue();
    assertThat(StepRunner.isolationOf(offline, ONLINE).network()).isFalse();
  }

  @Test
  void theOperatorsNetworkPolicyDecidesWhetherAStepMayHaveANetworkAtAll() {
    StepDefinition asks =
        new StepDefinition("s", "s.sh", "e", null, null, null, null, null, null, true, null);
    StepDefinition silent = new StepDefinition("s", "s.sh", "e", null, null, null);

    assertThat(StepRunner.isolationOf(silent, OFFLINE, NetworkPolicy.ALWAYS).network()).isTrue();
    assertThat(StepRunner.isolationOf(asks, OFFLINE, NetworkPolicy.ALLOWED).network()).isTrue();
    assertThat(StepRunner.isolationOf(asks, OFFLINE, NetworkPolicy.NONE).network()).isFalse();
    assertThat(NetworkPolicy.NONE.refuses(true)).isTrue();
    assertThat(NetworkPolicy.NONE.refuses(false)).isFalse();
    assertThat(NetworkPolicy.ALLOWED.refuses(true)).isFalse();
  }
}

package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyCheckTest {

  private static final PipelineDefinition ONLINE =
      new PipelineDefinition(
          "p",
          Map.of(),
          Map.of(),
          List.of(
              new StepDefinition(
                  "fetch", "f.sh", "e", null, null, null, null, null, null, true, null),
              new StepDefinition("train", "t.sh", "e", null, null, null)));

  @Test
  void underPolicyNoneAJobWhoseStepAsksForANetworkIsRefusedNamingThePolicy() {
    assertThatThrownBy(() -> new NetworkPolicyCheck("none").check(ONLINE))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "step 'fetch' asks for a network, which the operator's"
                            + " gridrun.runner.network-policy=none forbids"));
  }

  @Test
  void otherPoliciesAcceptIt() {
    assertThatNoException().isThrownBy(() -> new NetworkPolicyCheck("allowed").check(ONLINE));
    assertThatNoException().isThrownBy(() -> new NetworkPolicyCheck("ALWAYS").check(ONLINE));
    assertThatNoException().isThrownBy(() -> new NetworkPolicyCheck(null).check(ONLINE));
  }
}

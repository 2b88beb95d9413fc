package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private static final PipelineDefinition BY_ENVIRONMENT =
      new PipelineDefinition(
          "p",
          Map.of(),
          Map.of(),
          List.of(
              new StepDefinition("train", "t.sh", "online", null, null, null),
              new StepDefinition(
                  "offline", "o.sh", "online", null, null, null, null, null, null, false, null),
              new StepDefinition("other", "x.sh", "e", null, null, null)));

  @Test
  void underPolicyNoneAStepWhoseEnvironmentTurnsTheNetworkOnIsRefusedNamingThePolicy() {
    assertThatNoException()
        .as("no step asks by itself")
        .isThrownBy(() -> new NetworkPolicyCheck("none").check(BY_ENVIRONMENT));
    assertThatThrownBy(() -> new NetworkPolicyCheck("none").check(BY_ENVIRONMENT, Set.of("online")))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "step 'train' asks for a network, which the operator's"
                            + " gridrun.runner.network-policy=none forbids (its environment"
                            + " 'online' has \"network\": true; give the step \"network\": false to"
                            + " run it without)"));
    assertThatNoException()
        .isThrownBy(() -> new NetworkPolicyCheck("none").check(BY_ENVIRONMENT, Set.of()));
    assertThatNoException()
        .isThrownBy(
            () -> new NetworkPolicyCheck("allowed").check(BY_ENVIRONMENT, Set.of("online")));
  }

  @Test
  void theEnvironmentsNetworkDefaultIsReadFromSnapshotServicesView() {
    assertThat(
            SnapshotServiceClient.stateOf("a", "{\"image\": \"x\", \"network\": true}").network())
        .isTrue();
    assertThat(SnapshotServiceClient.stateOf("a", "{\"image\": \"x\"}").network()).isFalse();
  }
}

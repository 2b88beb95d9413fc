package io.gridrun.gateway.job;

import io.gridrun.common.pipeline.NetworkPolicy;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.util.List;
import java.util.Locale;

/**
 * Refuses at submission a job whose pipeline asks for a network that the operator's {@code
 * gridrun.runner.network-policy=none} forbids. Only a step's own {@code "network": true} is known
 * here; a step that gets its network from its environment's default is failed by the runner with
 * the same reason.
 */
final class NetworkPolicyCheck {

  private final NetworkPolicy policy;

  NetworkPolicyCheck(String policy) {
    this.policy =
        policy == null || policy.isBlank()
            ? NetworkPolicy.ALLOWED
            : NetworkPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT));
  }

  /**
   * @throws InvalidJobRequestException naming each step that asks for a network, and the policy
   */
  void check(PipelineDefinition pipeline) {
    List<String> problems =
        pipeline.steps().stream()
            .filter(step -> policy.refuses(Boolean.TRUE.equals(step.network())))
            .map(step -> NetworkPolicy.refusal(step.id()))
            .toList();
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
  }
}

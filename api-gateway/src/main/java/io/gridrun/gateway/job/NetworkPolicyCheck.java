package io.gridrun.gateway.job;

import io.gridrun.common.pipeline.NetworkPolicy;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses at submission a job whose pipeline asks for a network that the operator's {@code
 * gridrun.runner.network-policy=none} forbids: a step's own {@code "network": true} (checked before
 * any environment is looked up), and a step without its own {@code network} whose environment turns
 * networking on by default (checked once the environments are known). The gateway reads the same
 * property as the runners ({@code gridrun.runner.network-policy}; set it on both).
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

  /**
   * @param networked the registered environments whose steps get a network by default
   * @throws InvalidJobRequestException naming each step that would get a network from its
   *     environment, the environment and the policy
   */
  void check(PipelineDefinition pipeline, Set<String> networked) {
    List<String> problems =
        pipeline.steps().stream()
            .filter(step -> step.network() == null && networked.contains(step.environment()))
            .filter(step -> policy.refuses(true))
            .map(
                step ->
                    NetworkPolicy.refusal(step.id())
                        + " (its environment '"
                        + step.environment()
                        + "' has \"network\": true; give the step \"network\": false to run it"
                        + " without)")
            .toList();
    if (!problems.isEmpty()) {
      throw new InvalidJobRequestException(problems);
    }
  }
}

package io.gridrun.runner.execution;

import io.gridrun.common.secret.SecretBox;
import io.gridrun.common.secret.UnreadableSecretException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A step's variables with their secrets opened: the only place a secret's value exists outside the
 * gateway, for the moment it takes to hand it to the step's process or container. Also the values
 * to mask in the step's log.
 *
 * @param variables what the step gets
 * @param values the opened secret values
 */
record StepSecrets(Map<String, String> variables, List<String> values) {

  /**
   * @throws UnreadableSecretException when a sealed value does not open, or no key is configured
   */
  static StepSecrets open(Map<String, String> env, SecretBox box) {
    Map<String, String> variables = new LinkedHashMap<>();
    List<String> values = new ArrayList<>();
    env.forEach(
        (name, value) -> {
          if (!SecretBox.isSealed(value)) {
            variables.put(name, value);
            return;
          }
          if (box == null) {
            throw new UnreadableSecretException(
                name, "this runner has no key (gridrun.secrets.key or gridrun.secrets.key-file)");
          }
          String plain = box.open(name, value);
          variables.put(name, plain);
          values.add(plain);
        });
    return new StepSecrets(variables, List.copyOf(values));
  }
}

package io.gridrun.common.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a pipeline: a file run in a container of its environment.
 *
 * @param id unique within the pipeline; letters, digits, {@code _} and {@code -}
 * @param file path of the step's file, relative to the project root
 * @param environment name of a registered environment
 * @param dependsOn ids of the steps that must succeed before this one starts
 * @param parameters the step's default parameters, in declaration order
 * @param command optional command overriding the one derived from the file's extension
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepDefinition(
    String id,
    String file,
    String environment,
    List<String> dependsOn,
    Map<String, Object> parameters,
    List<String> command) {

  public StepDefinition {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    parameters =
        parameters == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    command = command == null ? null : List.copyOf(command);
  }

  /**
   * The command the step runs: {@code command} if given, else derived from the file's extension.
   */
  public List<String> effectiveCommand() {
    if (command != null && !command.isEmpty()) {
      return command;
    }
    if (file.endsWith(".py")) {
      return List.of("python3", file);
    }
    return List.of("sh", file);
  }
}

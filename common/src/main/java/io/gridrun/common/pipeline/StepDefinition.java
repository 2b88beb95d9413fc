package io.gridrun.common.pipeline;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One step of a pipeline: a file run in a container of its environment.
 *
 * @param id unique within the pipeline; letters, digits, {@code _} and {@code -}
 * @param file path of the step's file, relative to the project root
 * @param environment name of a registered environment
 * @param dependsOn ids of the steps that must succeed before this one starts
 * @param parameters the step's default parameters, in declaration order
 * @param command optional command overriding the one derived from the file's extension
 * @param timeout optional limit of each attempt, a duration like {@code 30m}; the step is killed
 *     and fails with reason {@code timeout} when it runs longer
 * @param retries optional: how often a failed attempt is tried again, and how long to wait between
 * @param resources optional CPU and memory limits of the step's container
 * @param network whether the step's container gets a network; absent = false (no network)
 * @param user optional user the step's container runs as: a name or uid, optionally {@code :group};
 *     absent = the image's user
 * @param title optional name shown for the step (an Orchest step's {@code title}); absent = the id
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepDefinition(
    String id,
    String file,
    String environment,
    List<String> dependsOn,
    Map<String, Object> parameters,
    List<String> command,
    String timeout,
    RetryPolicy retries,
    StepResources resources,
    Boolean network,
    String user,
    String title) {

  private static final Pattern USER =
      Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?");

  @JsonCreator
  public StepDefinition {
    dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    parameters =
        parameters == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    command = command == null ? null : List.copyOf(command);
  }

  /** A step without a title. */
  public StepDefinition(
      String id,
      String file,
      String environment,
      List<String> dependsOn,
      Map<String, Object> parameters,
      List<String> command,
      String timeout,
      RetryPolicy retries,
      StepResources resources,
      Boolean network,
      String user) {
    this(
        id,
        file,
        environment,
        dependsOn,
        parameters,
        command,
        timeout,
        retries,
        resources,
        network,
        user,
        null);
  }

  /** A step with no limits, retries, network or user of its own. */
  public StepDefinition(
      String id,
      String file,
      String environment,
      List<String> dependsOn,
      Map<String, Object> parameters,
      List<String> command) {
    this(id, file, environment, dependsOn, parameters, command, null, null, null, null, null);
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

  /** How long one attempt may run, if limited. */
  public Optional<Duration> timeLimit() {
    return DurationText.parse(timeout);
  }

  public RetryPolicy retryPolicy() {
    return retries == null ? RetryPolicy.NONE : retries;
  }

  public StepResources resourceLimits() {
    return resources == null ? StepResources.UNLIMITED : resources;
  }

  public boolean wantsNetwork() {
    return wantsNetwork(false);
  }

  /** The step's own {@code network} when it has one, else what its environment says. */
  public boolean wantsNetwork(boolean environmentDefault) {
    return network == null ? environmentDefault : network;
  }

  /** Problems with the optional execution settings (timeout, retries, resources, user). */
  List<String> executionProblems() {
    String where = "step '" + id + "'";
    List<String> problems = new ArrayList<>();
    if (timeout != null) {
      Optional<Duration> limit = timeLimit();
      if (limit.isEmpty()) {
        problems.add(
            where + ": timeout '" + timeout + "' is not a duration like " + DurationText.EXAMPLES);
      } else if (limit.get().isZero()) {
        problems.add(where + ": timeout must be longer than 0");
      }
    }
    if (retries != null) {
      problems.addAll(retries.problems(where));
    }
    if (resources != null) {
      problems.addAll(resources.problems(where));
    }
    if (user != null && !USER.matcher(user).matches()) {
      problems.add(
          where
              + ": user '"
              + user
              + "' must be a user name or uid, optionally with ':group' (e.g. 1000:1000)");
    }
    return problems;
  }
}

package io.gridrun.common.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * An Orchest pipeline file ({@code *.orchest}) read as a gridrun pipeline: {@code steps} (a map by
 * uuid) become steps whose id is the uuid and whose {@code title} is Orchest's, {@code
 * incoming_connections} become {@code dependsOn} (in their order, which is also the order of {@code
 * orchest.get_inputs()["unnamed"]}), {@code file_path} is resolved against the pipeline file's
 * directory as Orchest did, {@code environment} names the environment (the uuid that {@code
 * .orchest/environments/<uuid>} registers). Pipeline {@code parameters} and step {@code parameters}
 * are kept; the Orchest variables that do not change between runs ({@code ORCHEST_PIPELINE_UUID},
 * {@code ORCHEST_PIPELINE_PATH}, {@code ORCHEST_PROJECT_UUID}) go into the pipeline's {@code env}.
 * Unknown fields ({@code settings}, {@code kernel}, {@code meta_data}, {@code services}, {@code
 * version}, …) are ignored.
 */
public final class OrchestPipeline {

  /** The file extension of Orchest pipelines. */
  public static final String EXTENSION = ".orchest";

  private OrchestPipeline() {}

  /** Whether this project path names an Orchest pipeline file. */
  public static boolean isOrchest(String path) {
    return path != null && path.endsWith(EXTENSION);
  }

  /** A field of the file that is missing or has the wrong type; the message names the field. */
  public static final class MalformedException extends RuntimeException {
    public MalformedException(String message) {
      super(message);
    }
  }

  /**
   * The pipeline at {@code path} (project-relative) of project {@code project}.
   *
   * @throws MalformedException naming the first field that is not as Orchest wrote it
   */
  public static PipelineDefinition read(
      ObjectMapper mapper, String json, String path, String project) {
    JsonNode root;
    try {
      root = mapper.readTree(json);
    } catch (RuntimeException e) {
      throw new MalformedException("is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedException("is not a JSON object");
    }
    String name = text(root, "name", "name");
    String uuid = text(root, "uuid", "uuid");
    Map<String, Object> parameters = parameters(mapper, root.get("parameters"), "parameters");
    JsonNode steps = root.get("steps");
    if (steps == null || !steps.isObject()) {
      throw new MalformedException("field 'steps' must be an object of steps by uuid");
    }
    String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
    List<StepDefinition> definitions = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : steps.properties()) {
      String key = entry.getKey();
      JsonNode step = entry.getValue();
      String where = "steps." + key;
      if (!step.isObject()) {
        throw new MalformedException("field '" + where + "' must be an object");
      }
      String id = step.has("uuid") ? text(step, "uuid", where + ".uuid") : key;
      String file = text(step, "file_path", where + ".file_path");
      String environment = text(step, "environment", where + ".environment");
      String title = step.has("title") ? text(step, "title", where + ".title") : null;
      JsonNode incoming = step.get("incoming_connections");
      List<String> dependsOn = new ArrayList<>();
      if (incoming != null && !incoming.isNull()) {
        if (!incoming.isArray()) {
          throw new MalformedException(
              "field '" + where + ".incoming_connections' must be a list of step uuids");
        }
        for (JsonNode connection : incoming) {
          if (!connection.isString()) {
            throw new MalformedException(
                "field '" + where + ".incoming_connections' must be a list of step uuids");
          }
          dependsOn.add(connection.asString());
        }
      }
      definitions.add(
          new StepDefinition(
              id,
              file.startsWith("/") ? file.substring(1) : normalise(dir + file),
              environment,
              dependsOn,
              parameters(mapper, step.get("parameters"), where + ".parameters"),
              null,
              null,
              null,
              null,
              null,
              null,
              title));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("ORCHEST_PIPELINE_UUID", uuid);
    env.put("ORCHEST_PIPELINE_PATH", path);
    env.put("ORCHEST_PROJECT_UUID", project);
    return new PipelineDefinition(name, parameters, env, definitions);
  }

  private static String text(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new MalformedException("field '" + where + "' is missing");
    }
    if (!value.isString()) {
      throw new MalformedException("field '" + where + "' must be a string");
    }
    return value.asString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parameters(ObjectMapper mapper, JsonNode node, String where) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new MalformedException("field '" + where + "' must be an object of parameters");
    }
    return mapper.convertValue(node, LinkedHashMap.class);
  }

  /** {@code a/./b/../c} → {@code a/c}; what escapes the project stays for the check to refuse. */
  private static String normalise(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }
}

package io.gridrun.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The command line's parameter syntax. {@code --param lr=0.1,0.01}: a name and comma-separated
 * values, each a JSON scalar (a number, {@code true}, {@code false}, {@code null}, a quoted string)
 * or else taken as a string; {@code --param 'tags=["a,b","c"]'}: a JSON list, for values with
 * commas. A dotted name ({@code train.epochs}) is the parameter of a step. {@code --exclude
 * 'lr=0.1,train.epochs=3'}: one combination, comma-separated {@code name=value} pairs.
 */
final class Params {

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
  private static final Pattern PAIR_START = Pattern.compile(",(?=\\s*[A-Za-z0-9_.-]+=)");

  private Params() {}

  /** A parameter's name, split: step (or null for the pipeline) and name. */
  record Name(String step, String name) {
    static Name of(String dotted) {
      String trimmed = dotted.trim();
      if (trimmed.isEmpty() || trimmed.startsWith(".") || trimmed.endsWith(".")) {
        throw bad("'" + dotted + "' is not a parameter name");
      }
      int dot = trimmed.indexOf('.');
      return dot < 0
          ? new Name(null, trimmed)
          : new Name(trimmed.substring(0, dot), trimmed.substring(dot + 1));
    }

    String dotted() {
      return step == null ? name : step + "." + name;
    }
  }

  /** {@code name=v1,v2,…} as name and values. */
  record Values(Name name, ArrayNode values) {}

  static Values parseValues(String option) {
    int eq = option.indexOf('=');
    if (eq <= 0) {
      throw bad("--param needs name=values, e.g. lr=0.1,0.01 (got '" + option + "')");
    }
    Name name = Name.of(option.substring(0, eq));
    String text = option.substring(eq + 1).trim();
    ArrayNode values = Json.array();
    if (text.startsWith("[")) {
      JsonNode list = Json.tryParse(text);
      if (list == null || !list.isArray() || list.isEmpty()) {
        throw bad("--param " + name.dotted() + ": '" + text + "' is not a JSON list of values");
      }
      list.forEach(values::add);
    } else {
      if (text.isEmpty()) {
        throw bad("--param " + name.dotted() + " has no values");
      }
      for (String value : text.split(",", -1)) {
        values.add(scalar(value));
      }
    }
    return new Values(name, values);
  }

  /** A value as typed: a JSON scalar when it is one, else the text as a string. */
  static JsonNode scalar(String text) {
    String value = text.trim();
    JsonNode json = Json.tryParse(value);
    if (json != null && (json.isValueNode()) && !value.isEmpty()) {
      return json;
    }
    return Json.mapper().getNodeFactory().stringNode(value);
  }

  /** The job's {@code grid}: {@code {"pipeline": {..}, "steps": {step: {..}}}}. */
  static ObjectNode grid(List<String> options) {
    ObjectNode grid = Json.object();
    for (String option : options) {
      Values values = parseValues(option);
      parameterSlot(grid, values.name()).set(values.name().name(), values.values());
    }
    return grid;
  }

  /** One {@code --exclude}: a partial combination in the grid's shape. */
  static ObjectNode combination(String option) {
    ObjectNode combination = Json.object();
    for (String pair : PAIR_START.split(option.trim())) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad(
            "--exclude needs name=value pairs, e.g. lr=0.1,train.epochs=3 (got '" + option + "')");
      }
      Name name = Name.of(pair.substring(0, eq));
      String value = pair.substring(eq + 1).trim();
      JsonNode parsed = value.startsWith("[") ? Json.tryParse(value) : null;
      parameterSlot(combination, name)
          .set(name.name(), parsed != null && parsed.isValueNode() ? parsed : scalar(value));
    }
    return combination;
  }

  /** {@code --param lr=0.1} as a run filter: {@code param.lr=0.1}. */
  static Map.Entry<String, String> filter(String option) {
    int eq = option.indexOf('=');
    if (eq <= 0) {
      throw bad("--param needs name=value, e.g. lr=0.1 (got '" + option + "')");
    }
    Name name = Name.of(option.substring(0, eq));
    return Map.entry("param." + name.dotted(), option.substring(eq + 1).trim());
  }

  /** {@code K=V} pairs as an object. */
  static ObjectNode env(List<String> pairs) {
    return pairs("--env", pairs);
  }

  /** {@code K=V} pairs of {@code --secret} as an object (a secret's value is never printed). */
  static ObjectNode secrets(List<String> pairs) {
    return pairs("--secret", pairs);
  }

  private static ObjectNode pairs(String option, List<String> pairs) {
    ObjectNode env = Json.object();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw bad(
            option
                + " needs NAME=value (got '"
                + (option.equals("--secret") ? pair.substring(0, Math.max(0, eq)) + "=…" : pair)
                + "')");
      }
      env.put(pair.substring(0, eq), pair.substring(eq + 1));
    }
    return env;
  }

  /** A duration as the API takes it: a positive number and {@code ms}, {@code s}, … {@code d}. */
  static String duration(String text) {
    String value = text.trim();
    var matcher = DURATION.matcher(value);
    if (!matcher.matches() || Long.parseLong(matcher.group(1)) <= 0) {
      throw bad("'" + text + "' is not a duration such as 90s, 30m, 2h or 1d");
    }
    return value;
  }

  /** The names of the parameters of a preview's or a run's {@code parameters}, dotted. */
  static List<String> names(JsonNode parameters) {
    List<String> names = new ArrayList<>();
    JsonNode pipeline = parameters.path("pipeline");
    pipeline.propertyNames().forEach(names::add);
    JsonNode steps = parameters.path("steps");
    for (String step : steps.propertyNames()) {
      for (String name : steps.path(step).propertyNames()) {
        names.add(step + "." + name);
      }
    }
    return names;
  }

  /** The value of a dotted parameter name in a run's {@code parameters}. */
  static JsonNode value(JsonNode parameters, String dotted) {
    Name name = Name.of(dotted);
    return name.step() == null
        ? parameters.path("pipeline").path(name.name())
        : parameters.path("steps").path(name.step()).path(name.name());
  }

  private static ObjectNode parameterSlot(ObjectNode root, Name name) {
    if (name.step() == null) {
      return objectAt(root, "pipeline");
    }
    return objectAt(objectAt(root, "steps"), name.step());
  }

  private static ObjectNode objectAt(ObjectNode parent, String field) {
    JsonNode existing = parent.get(field);
    if (existing instanceof ObjectNode object) {
      return object;
    }
    return parent.putObject(field);
  }

  private static CliException bad(String message) {
    return new CliException(Main.CLIENT_ERROR, message);
  }
}

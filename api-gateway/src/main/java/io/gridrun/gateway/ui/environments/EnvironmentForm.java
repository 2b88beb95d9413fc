package io.gridrun.gateway.ui.environments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user typed into the environment form, kept as typed so that a refused form shows it
 * again.
 *
 * @param env one {@code NAME=value} per line
 */
public record EnvironmentForm(String name, String image, String env, boolean network) {

  public EnvironmentForm {
    name = name == null ? "" : name.strip();
    image = image == null ? "" : image.strip();
    env = env == null ? "" : env;
  }

  static EnvironmentForm empty() {
    return new EnvironmentForm("", "", "", false);
  }

  /** The variables, or the lines that are not {@code NAME=value}. */
  Parsed parse() {
    Map<String, String> vars = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    String[] lines = env.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        errors.add("line " + (i + 1) + " of the environment variables is not NAME=value");
      } else {
        vars.put(line.substring(0, eq).strip(), line.substring(eq + 1));
      }
    }
    return new Parsed(vars, errors);
  }

  /** The request body of {@code PUT /api/v1/environments/{name}}. */
  Map<String, Object> body(Map<String, String> vars) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("image", image);
    body.put("env", vars);
    body.put("network", network);
    return body;
  }

  record Parsed(Map<String, String> vars, List<String> errors) {}
}

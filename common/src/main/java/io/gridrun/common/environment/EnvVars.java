package io.gridrun.common.environment;

import java.util.LinkedHashMap;
import java.util.Map;

/** Environment variable precedence: environment &lt; pipeline &lt; job; later wins. */
public final class EnvVars {

  private EnvVars() {}

  @SafeVarargs
  public static Map<String, String> merge(Map<String, String>... layers) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (Map<String, String> layer : layers) {
      if (layer != null) {
        merged.putAll(layer);
      }
    }
    return merged;
  }
}

package io.gridrun.snapshot.environment;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Orchest projects.
 *
 * @param baseImages Orchest's base image names (without tag; {@code orchest/base-kernel-py}) to
 *     local images; default every Python base ({@code orchest/base-kernel-py}, {@code
 *     orchest/base-kernel-py-gpu}) to {@code gridrun/python:3-debian}. A name not mapped here is
 *     refused (its environment is not registered).
 */
@ConfigurationProperties("gridrun.orchest")
@Validated
public record OrchestProperties(Map<String, String> baseImages) {

  public static final String PYTHON = "gridrun/python:3-debian";

  public OrchestProperties {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("orchest/base-kernel-py", PYTHON);
    defaults.put("orchest/base-kernel-py-gpu", PYTHON);
    if (baseImages != null) {
      defaults.putAll(baseImages);
    }
    baseImages = Map.copyOf(defaults);
  }

  /** The local image for an Orchest base image (its tag ignored), or null. */
  public String localBase(String orchestBase) {
    String name = orchestBase.strip();
    int colon = name.lastIndexOf(':');
    if (colon > name.lastIndexOf('/')) {
      name = name.substring(0, colon);
    }
    return baseImages.get(name);
  }
}

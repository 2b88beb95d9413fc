package io.gridrun.gateway.ui.environments;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.gateway.ui.UiFormat;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An environment as {@code GET /api/v1/environments} lists it. Only the names of its variables
 * reach the page: values may be secrets.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ApiEnvironment(
    String name,
    String image,
    String imageId,
    String status,
    Boolean network,
    Map<String, Object> env,
    Instant updatedAt,
    Map<String, Object> secrets) {

  /** The variable names, in the API's order; never their values. */
  public List<String> envNames() {
    return env == null ? List.of() : List.copyOf(env.keySet());
  }

  /** The names of its secrets (the API shows them as ••••, never their values). */
  public List<String> secretNames() {
    return secrets == null ? List.of() : List.copyOf(secrets.keySet());
  }

  public boolean networkDefault() {
    return Boolean.TRUE.equals(network);
  }

  public String updated() {
    return UiFormat.time(updatedAt);
  }

  /** The environment without its variables' values, which the page must never hold. */
  ApiEnvironment withoutValues() {
    java.util.LinkedHashMap<String, Object> names = new java.util.LinkedHashMap<>();
    envNames().forEach(n -> names.put(n, ""));
    java.util.LinkedHashMap<String, Object> secretNames = new java.util.LinkedHashMap<>();
    secretNames().forEach(n -> secretNames.put(n, io.gridrun.common.secret.SecretBox.MASK));
    return new ApiEnvironment(name, image, imageId, status, network, names, updatedAt, secretNames);
  }
}

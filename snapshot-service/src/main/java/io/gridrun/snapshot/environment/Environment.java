package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/**
 * A registered environment: an image reference, its variables, and whether its steps get a network
 * by default ({@code network}; null = no).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Environment(
    String id, String image, Map<String, String> env, Instant updatedAt, Boolean network) {

  public Environment(String id, String image, Map<String, String> env, Instant updatedAt) {
    this(id, image, env, updatedAt, null);
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public Environment {}

  public String name() {
    return id;
  }
}

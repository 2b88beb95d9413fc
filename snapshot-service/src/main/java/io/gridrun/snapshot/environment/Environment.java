package io.gridrun.snapshot.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.Map;

/** A registered environment: an image reference and its variables. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Environment(String id, String image, Map<String, String> env, Instant updatedAt) {

  public String name() {
    return id;
  }
}

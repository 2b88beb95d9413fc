package io.gridrun.common.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An environment as captured by a snapshot: the image reference the user registered, the image id
 * it pointed to at snapshot time (what runs use, so re-tagging later changes nothing), and the
 * environment's variables.
 *
 * @param imageId {@code sha256:…}; null only when no container engine could resolve it (process
 *     executor)
 * @param network whether its steps get a network unless a step says otherwise; null = no
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PinnedEnvironment(
    String name, String image, String imageId, Map<String, String> env, Boolean network) {

  /** An environment whose steps get no network unless they ask for it. */
  public PinnedEnvironment(String name, String image, String imageId, Map<String, String> env) {
    this(name, image, imageId, env, null);
  }

  @com.fasterxml.jackson.annotation.JsonCreator
  public PinnedEnvironment {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
  }

  public boolean wantsNetwork() {
    return Boolean.TRUE.equals(network);
  }

  /** What a container is created from: the pinned id when known, else the reference. */
  public String runnableImage() {
    return imageId != null ? imageId : image;
  }
}

package io.gridrun.snapshot.environment;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layers a failed build left behind: every step that succeeded before the failing one (the
 * setup script's {@code COPY}) is an image of its own which, untagged and without a child, shows as
 * a dangling {@code <none>} image. They are removed, newest first; the base image and anything
 * tagged or still used (an image a later build shares by cache) are left alone: the engine refuses
 * to remove an image with children, and tagged images are skipped.
 */
final class DanglingLayers {

  private static final Logger log = LoggerFactory.getLogger(DanglingLayers.class);

  private final DockerClient docker;

  DanglingLayers(DockerClient docker) {
    this.docker = docker;
  }

  void remove(String base, List<String> layers) {
    String baseId = idOf(base);
    List<String> newestFirst = new ArrayList<>(layers);
    Collections.reverse(newestFirst);
    for (String layer : newestFirst) {
      try {
        InspectImageResponse image = docker.inspectImageCmd(layer).exec();
        boolean tagged = image.getRepoTags() != null && !image.getRepoTags().isEmpty();
        if (tagged || image.getId().equals(baseId)) {
          continue;
        }
        docker.removeImageCmd(image.getId()).withForce(false).withNoPrune(false).exec();
      } catch (RuntimeException e) {
        // gone already, or used by another image: nothing dangles then
        log.debug("Layer {} of a failed build not removed: {}", layer, e.getMessage());
      }
    }
  }

  private String idOf(String image) {
    try {
      return docker.inspectImageCmd(image).exec().getId();
    } catch (RuntimeException e) {
      return "";
    }
  }
}

package io.gridrun.storage.artifact;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a step's outputs left: the artifacts kept, and the files not kept because the step's cap was
 * reached (reported, never silently dropped).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ArtifactIndex(List<Artifact> artifacts, List<Artifact> notKept, long capBytes) {

  public ArtifactIndex {
    artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    notKept = notKept == null ? List.of() : List.copyOf(notKept);
  }
}

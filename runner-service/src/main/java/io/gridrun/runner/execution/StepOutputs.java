package io.gridrun.runner.execution;

import io.gridrun.runner.runtime.StepWorkspace;
import io.gridrun.storage.artifact.Artifact;
import io.gridrun.storage.artifact.ArtifactIndex;
import io.gridrun.storage.artifact.ArtifactStore;
import java.io.IOException;

/**
 * Keeps what a step left in its outputs directory as artifacts, up to a cap per step; files over
 * the cap are named in the step's log and the artifact index, never dropped silently.
 */
public final class StepOutputs {

  /** Artifacts are not kept (tests and tools that need no store). */
  public static final StepOutputs NONE = new StepOutputs(null, 0);

  private final ArtifactStore store;
  private final long capBytes;

  /**
   * @param capBytes at most this many bytes of artifacts per step
   */
  public StepOutputs(ArtifactStore store, long capBytes) {
    this.store = store;
    this.capBytes = capBytes;
  }

  void keep(String runId, String stepId, StepWorkspace workspace, CappedLog log)
      throws IOException {
    if (store == null) {
      return;
    }
    try {
      ArtifactIndex index = store.keep(runId, stepId, StepHelpers.outputs(workspace), capBytes);
      if (!index.artifacts().isEmpty()) {
        long bytes = index.artifacts().stream().mapToLong(Artifact::size).sum();
        log.line(
            "gridrun: kept "
                + index.artifacts().size()
                + (index.artifacts().size() == 1 ? " artifact (" : " artifacts (")
                + bytes
                + " bytes)");
      }
      for (Artifact over : index.notKept()) {
        log.line(
            "gridrun: artifact '"
                + over.path()
                + "' ("
                + over.size()
                + " bytes) not kept: the step's artifacts are capped at "
                + capBytes
                + " bytes (gridrun.runner.max-artifact-bytes)");
      }
    } catch (IOException | RuntimeException e) {
      log.line("gridrun: the step's artifacts could not be kept: " + e.getMessage());
    }
  }
}

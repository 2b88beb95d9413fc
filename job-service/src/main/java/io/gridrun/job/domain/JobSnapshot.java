package io.gridrun.job.domain;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.util.Map;

/**
 * What a job runs on, fixed once its snapshot is taken.
 *
 * @param gridRuns runs in one batch of the grid (after selection)
 */
public record JobSnapshot(
    String snapshotId,
    String manifest,
    PipelineDefinition definition,
    Map<String, PinnedEnvironment> environments,
    long gridRuns) {

  /** Before the snapshot is there. */
  public static final JobSnapshot NONE = new JobSnapshot(null, null, null, null, 0);
}

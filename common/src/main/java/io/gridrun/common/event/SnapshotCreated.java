package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.time.Instant;
import java.util.Map;

/**
 * The job's snapshot is complete: its files, the pipeline definition as it was, and every
 * environment the pipeline uses pinned to an image id.
 *
 * @param manifest the blob store key of the snapshot's manifest, from which a run's working copy is
 *     materialised
 * @param environments pinned environments by name
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotCreated(
    String eventId,
    String jobId,
    Instant at,
    String snapshotId,
    String manifest,
    PipelineDefinition pipeline,
    Map<String, PinnedEnvironment> environments)
    implements GridrunEvent {

  public static final String TYPE = "snapshot.created";

  @Override
  public String topic() {
    return Topics.SNAPSHOTS;
  }
}

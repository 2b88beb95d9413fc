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
 * @param warnings what the snapshot proceeded despite, such as a {@code .gitignore} pattern skipped
 *     as invalid; empty when there is nothing to say (absent in events of older producers)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotCreated(
    String eventId,
    String jobId,
    Instant at,
    String snapshotId,
    String manifest,
    PipelineDefinition pipeline,
    Map<String, PinnedEnvironment> environments,
    java.util.List<String> warnings)
    implements GridrunEvent {

  public SnapshotCreated {
    warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
  }

  /** A snapshot without warnings. */
  public SnapshotCreated(
      String eventId,
      String jobId,
      Instant at,
      String snapshotId,
      String manifest,
      PipelineDefinition pipeline,
      Map<String, PinnedEnvironment> environments) {
    this(eventId, jobId, at, snapshotId, manifest, pipeline, environments, java.util.List.of());
  }

  public static final String TYPE = "snapshot.created";

  @Override
  public String topic() {
    return Topics.SNAPSHOTS;
  }
}

package io.gridrun.snapshot.snapshot;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A snapshot as {@code GET /api/v1/snapshots/{id}} answers it (docs/api.md). */
record SnapshotView(
    String id,
    String jobId,
    String project,
    String pipeline,
    long fileCount,
    long totalBytes,
    long newBytes,
    long durationMs,
    List<String> skipped,
    List<String> warnings,
    Instant createdAt,
    Map<String, PinnedEnvironment> environments,
    PipelineDefinition definition) {

  static SnapshotView of(SnapshotRecord s) {
    return new SnapshotView(
        s.id(),
        s.jobId(),
        s.project(),
        s.pipeline(),
        s.fileCount(),
        s.totalBytes(),
        s.newBytes(),
        s.durationMs(),
        s.skipped(),
        s.warnings(),
        s.createdAt(),
        s.environments(),
        s.definition());
  }
}

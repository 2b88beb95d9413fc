package io.gridrun.snapshot.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.pipeline.PipelineDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;

/**
 * A snapshot: the project's files (as a manifest), its pipeline and pinned environments; {@code
 * warnings} are what the job proceeded despite (an invalid {@code .gitignore} pattern, say).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SnapshotRecord(
    @MongoId(FieldType.STRING) String id,
    String jobId,
    String project,
    String pipeline,
    PipelineDefinition definition,
    Map<String, PinnedEnvironment> environments,
    String manifest,
    long fileCount,
    long totalBytes,
    long newBytes,
    long durationMs,
    List<String> skipped,
    Instant createdAt,
    List<String> warnings) {

  public SnapshotRecord {
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}

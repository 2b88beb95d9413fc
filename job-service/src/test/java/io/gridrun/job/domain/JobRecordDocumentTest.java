package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.persistence.MongoMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;

/** The job's stored document keeps the flat shape it had before its fields were grouped. */
class JobRecordDocumentTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

  /** The fields of a job document as written before the grouping, in that order. */
  private static final List<String> FLAT_FIELDS =
      List.of(
          "_id",
          "name",
          "project",
          "pipeline",
          "status",
          "reason",
          "createdAt",
          "startedAt",
          "finishedAt",
          "grid",
          "env",
          "maxParallelRuns",
          "options",
          "snapshotId",
          "manifest",
          "definition",
          "environments",
          "gridRuns",
          "runCount",
          "materialized",
          "dispatched",
          "finished",
          "runCounts",
          "best",
          "batches",
          "releasedBelow");

  private static JobRecord job() {
    return JobRecord.created(
            "j", "n", "p", "p.json", T0, ParameterGrid.EMPTY, Map.of("A", "1"), 2, null)
        .withSnapshot(
            "s-j",
            "manifests/j",
            new PipelineDefinition("p", Map.of(), Map.of(), List.of()),
            Map.of(),
            3)
        .withBatchStarted(3, null, null)
        .withMaterialized(3, 3)
        .withStatus(JobStatus.STARTED, null, T0)
        .withDispatched(2)
        .counting(0, ExecutionStatus.PENDING, ExecutionStatus.SUCCESS)
        .withReleasedBelow(1)
        .withStatus(
            JobStatus.FAILURE, "why", T0.plusSeconds(5)); // every field set: nulls are not stored
  }

  private static final MappingMongoConverter CONVERTER = MongoMapping.standalone();

  private static Document toDocument(JobRecord job) {
    Document document = new Document();
    CONVERTER.write(job, document);
    return document;
  }

  @Test
  void theDocumentIsFlatAsBefore() {
    Document document = toDocument(job());

    assertThat(document.keySet()).containsExactlyInAnyOrderElementsOf(FLAT_FIELDS);
    assertThat(document.get("snapshotId")).isEqualTo("s-j");
    assertThat(((Number) document.get("materialized")).longValue()).isEqualTo(3);
    assertThat(((Number) document.get("releasedBelow")).longValue()).isEqualTo(1);
  }

  @Test
  void aDocumentWrittenBeforeTheGroupingReadsIntoTheGroups() {
    Document stored = toDocument(job());
    stored.put("dueAt", 123L); // written beside the job by the store

    JobRecord read = CONVERTER.read(JobRecord.class, stored);

    assertThat(read).isEqualTo(job());
    assertThat(read.snapshot().snapshotId()).isEqualTo("s-j");
    assertThat(read.counters().dispatched()).isEqualTo(2);
    assertThat(read.counters().runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 1L)
        .containsEntry(ExecutionStatus.PENDING, 2L);
    assertThat(read.batches().currentSize()).isEqualTo(3);
  }
}

package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One pipeline run: one document per run, never all runs inside the job.
 *
 * @param index position among the job's runs of its batch, 0..N-1
 * @param gridIndex position of its combination in the full grid; null for an {@code include}
 * @param seq position among all runs of the job across batches; the run id derives from it
 * @param attempt events of other attempts than this one are ignored
 * @param executor how the runner ran the current attempt's steps ({@code docker} or {@code
 *     process}), from its {@code run.started}; null until then
 */
@RecordBuilder
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunRecord(
    String id,
    String jobId,
    long index,
    Long gridIndex,
    int batch,
    long seq,
    ExecutionStatus status,
    int attempt,
    RunParameters parameters,
    List<StepState> steps,
    Map<String, Map<String, Object>> metrics,
    String reason,
    Instant startedAt,
    Instant finishedAt,
    String executor)
    implements RunRecordBuilder.With {

  public RunRecord {
    steps = List.copyOf(steps);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  /** The same run (identity, place and parameters) in another state of its execution. */
  public RunRecord withProgress(
      ExecutionStatus status,
      int attempt,
      List<StepState> steps,
      Map<String, Map<String, Object>> metrics,
      String reason,
      Instant startedAt,
      Instant finishedAt) {
    return with(
        b ->
            b.status(status)
                .attempt(attempt)
                .steps(steps)
                .metrics(metrics)
                .reason(reason)
                .startedAt(startedAt)
                .finishedAt(finishedAt));
  }

  /** The id of the run with sequence number {@code seq} of job {@code jobId}. */
  public static String idOf(String jobId, long seq) {
    return String.format("%s-r%07d", jobId, seq);
  }
}

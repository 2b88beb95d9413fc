package io.gridrun.job.domain.view;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import java.util.Map;

/**
 * What a run list or a results table needs to know about a run before it reads the run itself: its
 * place, status, batch, combination of the grid and metrics. Kept in the job's run buckets ({@link
 * RunBuckets}), so that filters and sorts read a few hundred small documents instead of every run.
 *
 * @param gridIndex the run's combination of the grid (its parameters are a function of it); null
 *     for an {@code include}d run, whose parameters must be read from the run
 */
public record RunEntry(
    long seq,
    ExecutionStatus status,
    int batch,
    Long gridIndex,
    Map<String, Map<String, Object>> metrics) {

  public RunEntry {
    metrics = metrics == null ? Map.of() : metrics;
  }

  public static RunEntry of(RunRecord run) {
    return new RunEntry(run.seq(), run.status(), run.batch(), run.gridIndex(), run.metrics());
  }

  /** The value of metric {@code <step>.<name>}, or null. */
  public Object metric(String step, String name) {
    Map<String, Object> values = metrics.get(step);
    return values == null ? null : values.get(name);
  }
}

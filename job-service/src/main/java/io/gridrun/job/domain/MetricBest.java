package io.gridrun.job.domain;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;
import java.util.TreeMap;

/**
 * The runs with the lowest and the highest value of one numeric metric, kept up to date as results
 * arrive so that a job shows them without scanning its runs.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MetricBest(Extreme min, Extreme max) {

  /** One run's value; ties keep the run with the lower index. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Extreme(long index, String runId, double value) {}

  /**
   * The bests after step {@code stepId} of {@code run} reported {@code metrics}; keys are {@code
   * <step>.<metric>}, and only numbers count.
   */
  public static Map<String, MetricBest> update(
      Map<String, MetricBest> best, RunRecord run, String stepId, Map<String, Object> metrics) {
    Map<String, MetricBest> next = new TreeMap<>(best);
    metrics.forEach(
        (name, value) -> {
          if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            Extreme candidate = new Extreme(run.index(), run.id(), number.doubleValue());
            next.merge(
                stepId + "." + name,
                new MetricBest(candidate, candidate),
                (old, fresh) ->
                    new MetricBest(
                        better(old.min(), candidate, -1), better(old.max(), candidate, 1)));
          }
        });
    return next;
  }

  private static Extreme better(Extreme current, Extreme candidate, int direction) {
    int compared = Double.compare(candidate.value(), current.value()) * direction;
    if (compared > 0 || (compared == 0 && candidate.index() < current.index())) {
      return candidate;
    }
    return current;
  }
}

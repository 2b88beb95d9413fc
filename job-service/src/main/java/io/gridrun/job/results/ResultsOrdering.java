package io.gridrun.job.results;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.view.ParameterName;
import io.gridrun.job.domain.view.ResultsOrder;
import io.gridrun.job.domain.view.RunEntry;
import io.gridrun.job.persistence.RunStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/**
 * A results table's order decided on the job's run buckets: the metric {@code <step>.<name>} when a
 * run has it, else the step parameter, else the pipeline parameter (their values a function of each
 * run's combination of the grid; an {@code include}d run's read from the run); empty when the job
 * was stored before buckets (the database sorts then).
 */
final class ResultsOrdering {

  private ResultsOrdering() {}

  /** The sequence numbers of the job's runs (of {@code batch}) in table order. */
  static Mono<Optional<long[]>> of(
      RunStore runs, JobRecord job, Integer batch, String sort, boolean descending) {
    return runs.entries(job.id(), job.materialized())
        .flatMap(
            all -> {
              if (all.size() < job.materialized()) {
                return Mono.just(Optional.<long[]>empty());
              }
              List<RunEntry> entries =
                  batch == null ? all : all.stream().filter(e -> e.batch() == batch).toList();
              if (sort == null || sort.isEmpty()) {
                return Mono.just(Optional.of(ResultsOrder.of(entries, null, descending)));
              }
              return key(runs, job, entries, sort)
                  .map(key -> Optional.of(ResultsOrder.of(entries, key, descending)));
            });
  }

  private static Mono<Function<RunEntry, Object>> key(
      RunStore runs, JobRecord job, List<RunEntry> entries, String sort) {
    int dot = sort.indexOf('.');
    boolean stepKey = dot > 0 && dot < sort.length() - 1;
    if (stepKey) {
      String step = sort.substring(0, dot);
      String name = sort.substring(dot + 1);
      Function<RunEntry, Object> metric = e -> e.metric(step, name);
      if (entries.stream().anyMatch(e -> metric.apply(e) != null)) {
        return Mono.just(metric);
      }
    }
    Mono<Map<Long, RunParameters>> read =
        runs.parametersOf(
            job.id(),
            entries.stream().filter(e -> e.gridIndex() == null).map(RunEntry::seq).toList());
    GridExpansion grid =
        job.definition() == null ? null : new GridExpansion(job.definition(), job.grid());
    return read.map(
        parameters -> {
          if (stepKey) {
            Function<RunEntry, Object> stepParameter =
                parameter(ParameterName.parse(sort), grid, parameters);
            if (entries.stream().anyMatch(e -> stepParameter.apply(e) != null)) {
              return stepParameter;
            }
          }
          return parameter(new ParameterName(null, sort), grid, parameters);
        });
  }

  private static Function<RunEntry, Object> parameter(
      ParameterName name, GridExpansion grid, Map<Long, RunParameters> read) {
    return e -> {
      if (e.gridIndex() != null) {
        return name.in(grid, e.gridIndex());
      }
      RunParameters parameters = read.get(e.seq());
      return parameters == null ? null : name.in(parameters);
    };
  }
}

package io.gridrun.job.web;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.view.RunEntry;
import io.gridrun.job.domain.view.RunFilter;
import io.gridrun.job.persistence.RunQuery;
import io.gridrun.job.persistence.RunStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Filtered pages of a job's runs: the filter is decided on the job's run buckets (status, batch,
 * combination of the grid), then the page's runs are read by id. A job stored before buckets is
 * filtered by the database, as before.
 */
@Component
public class RunLists {

  private final RunStore runs;

  RunLists(RunStore runs) {
    this.runs = runs;
  }

  Mono<Page<RunView>> page(JobRecord job, RunQuery query, boolean descending, int page, int size) {
    RunFilter filter =
        new RunFilter(
            query.status() == null ? null : ExecutionStatus.valueOf(query.status()),
            query.batch(),
            query.parameters());
    long count = job.materialized();
    return runs.entries(job.id(), count)
        .flatMap(
            entries ->
                entries.size() < count
                    ? scanned(job, query, descending, page, size)
                    : matching(job, filter, entries)
                        .flatMap(seqs -> slice(job, seqs, descending, page, size)));
  }

  /** The sequence numbers of the runs matching {@code filter}, ascending. */
  public Mono<long[]> matching(JobRecord job, RunFilter filter, List<RunEntry> entries) {
    Mono<Map<Long, RunParameters>> read = runs.parametersOf(job.id(), filter.undecided(entries));
    GridExpansion grid =
        job.definition() == null ? null : new GridExpansion(job.definition(), job.grid());
    return read.map(parameters -> filter.matching(entries, grid, parameters::get));
  }

  private Mono<Page<RunView>> slice(
      JobRecord job, long[] seqs, boolean descending, int page, int size) {
    long from = (long) page * size;
    List<String> ids = new java.util.ArrayList<>();
    for (long i = from; i < Math.min(seqs.length, from + size); i++) {
      long seq = descending ? seqs[seqs.length - 1 - (int) i] : seqs[(int) i];
      ids.add(RunRecord.idOf(job.id(), seq));
    }
    return runs.findAllReactive(ids)
        .map(
            found -> {
              List<RunRecord> ordered = new java.util.ArrayList<>(found);
              if (descending) {
                ordered.sort(Comparator.comparingLong(RunRecord::seq).reversed());
              }
              return new Page<>(
                  ordered.stream().map(r -> RunView.of(r, RunView.titles(job))).toList(),
                  page,
                  size,
                  (long) seqs.length);
            });
  }

  private Mono<Page<RunView>> scanned(
      JobRecord job, RunQuery filter, boolean descending, int page, int size) {
    Mono<Long> total =
        filter.filters() ? runs.count(job.id(), filter) : Mono.just(job.materialized());
    return runs.page(job.id(), filter, descending, page, size)
        .zipWith(
            total,
            (found, count) ->
                new Page<>(
                    found.stream().map(r -> RunView.of(r, RunView.titles(job))).toList(),
                    page,
                    size,
                    count));
  }
}

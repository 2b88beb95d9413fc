package io.gridrun.job.domain.view;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * A filter over one job's runs (status, batch, parameter values; all optional) decided on the runs'
 * entries alone: a parameter's value is a function of the run's combination of the grid ({@link
 * GridExpansion#valueAt}), so only {@code include}d runs (no combination) need their parameters
 * read ({@link #undecided}).
 *
 * @param parameters parameter names as the URL gives them ({@code lr}, {@code train.epochs}) to the
 *     value asked for
 */
public record RunFilter(ExecutionStatus status, Integer batch, Map<String, String> parameters) {

  public RunFilter {
    parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
  }

  public boolean filters() {
    return status != null || batch != null || !parameters.isEmpty();
  }

  /** Runs passing status and batch whose parameters must be read to decide: the includes. */
  public List<Long> undecided(List<RunEntry> entries) {
    List<Long> seqs = new ArrayList<>();
    if (!parameters.isEmpty()) {
      for (RunEntry entry : entries) {
        if (entry.gridIndex() == null && placed(entry)) {
          seqs.add(entry.seq());
        }
      }
    }
    return seqs;
  }

  /**
   * The sequence numbers of the matching runs, ascending.
   *
   * @param grid the job's grid over its pipeline; null when no run has a combination
   * @param read the parameters of an {@link #undecided} run by sequence number
   */
  public long[] matching(
      List<RunEntry> entries, GridExpansion grid, LongFunction<RunParameters> read) {
    List<Criterion> criteria =
        parameters.entrySet().stream()
            .map(p -> new Criterion(ParameterName.parse(p.getKey()), p.getValue()))
            .toList();
    long[] seqs = new long[entries.size()];
    int found = 0;
    for (RunEntry entry : entries) {
      if (placed(entry) && criteria.stream().allMatch(c -> c.matches(entry, grid, read))) {
        seqs[found++] = entry.seq();
      }
    }
    long[] matching = java.util.Arrays.copyOf(seqs, found);
    java.util.Arrays.sort(matching);
    return matching;
  }

  private boolean placed(RunEntry entry) {
    return (status == null || entry.status() == status)
        && (batch == null || entry.batch() == batch);
  }

  /** One parameter's wanted value; what each value of the grid gives is decided once. */
  private static final class Criterion {
    private final ParameterName parameter;
    private final String asked;
    private final Map<Object, Boolean> decided = new IdentityHashMap<>();

    Criterion(ParameterName parameter, String asked) {
      this.parameter = parameter;
      this.asked = asked;
    }

    boolean matches(RunEntry entry, GridExpansion grid, LongFunction<RunParameters> read) {
      if (entry.gridIndex() == null) {
        RunParameters parameters = read.apply(entry.seq());
        return parameters != null && ValueMatch.matches(parameter.in(parameters), asked);
      }
      Object value = parameter.in(grid, entry.gridIndex());
      if (value == null) {
        return false;
      }
      return decided.computeIfAbsent(value, v -> ValueMatch.matches(v, asked));
    }
  }
}

package io.gridrun.gateway.ui.jobs;

import io.gridrun.gateway.ui.UiProblem;
import java.util.List;

/**
 * The "Pipeline runs" table of the New job form: one row per grid combination on this page, each
 * with its grid index, values (one per parameter column) and whether it is selected.
 *
 * @param problem why there is no table (bad values, or the API refused the grid), else null
 */
public record RunsView(
    List<String> columns,
    List<Row> rows,
    long gridSize,
    long selectedCount,
    int page,
    int lastPage,
    UiProblem problem) {

  public record Row(long gridIndex, List<String> values, boolean selected) {}

  static RunsView unavailable(UiProblem problem) {
    return new RunsView(List.of(), List.of(), 0, 0, 0, 0, problem);
  }

  /** {@code 5 of 6 runs selected}. */
  public String countText() {
    return selectedCount + " of " + gridSize + " runs selected";
  }

  public List<Long> shown() {
    return rows.stream().map(Row::gridIndex).toList();
  }
}

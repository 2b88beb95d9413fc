package io.gridrun.gateway.ui.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which grid combinations the New job form keeps: every one ({@code base} all) or none, except the
 * {@code toggled} grid indices; {@code signature} names the grid it was made for, so a selection is
 * dropped (all selected again) once the values change.
 */
public record RunSelection(boolean all, Set<Long> toggled, String signature) {

  static RunSelection allOf(String signature) {
    return new RunSelection(true, new TreeSet<>(), signature);
  }

  /** Applies the rows the user saw ({@code shown}) as they left them ({@code ticked}). */
  RunSelection withRows(List<Long> shown, Set<Long> ticked) {
    Set<Long> next = new TreeSet<>(toggled);
    for (Long index : shown) {
      if (ticked.contains(index) != all) {
        next.add(index);
      } else {
        next.remove(index);
      }
    }
    return new RunSelection(all, next, signature);
  }

  public boolean selected(long gridIndex) {
    return all != toggled.contains(gridIndex);
  }

  long count(long gridSize) {
    long inGrid = toggled.stream().filter(i -> i < gridSize).count();
    return all ? gridSize - inGrid : inGrid;
  }

  /** The grid indices to send as the job's {@code runs}; null when every combination is kept. */
  List<Long> runs(long gridSize) {
    if (all && toggled.isEmpty()) {
      return null;
    }
    List<Long> kept = new ArrayList<>();
    for (long i = 0; i < gridSize; i++) {
      if (selected(i)) {
        kept.add(i);
      }
    }
    return kept;
  }

  /** The toggled indices as the hidden form field carries them: {@code 1,4,7}. */
  public String toggledText() {
    return String.join(",", toggled.stream().map(String::valueOf).toList());
  }
}

package io.gridrun.gateway.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A progress bar of run counts per status: one segment per status with runs, in the order finished
 * (success, failure, aborted) then unfinished (started, pending), each as wide as its share.
 *
 * @param total the runs the bar stands for
 */
public record StatusBar(long total, List<Segment> segments) {

  /** The run statuses of the API, in the order the bar shows them. */
  public static final List<String> RUN_STATUSES =
      List.of("SUCCESS", "FAILURE", "ABORTED", "STARTED", "PENDING");

  /** {@code count} runs of {@code status}, {@code percent} of the bar. */
  public record Segment(String status, long count, double percent) {

    /** The CSS width, e.g. {@code width: 33.333%}. */
    public String style() {
      return String.format(java.util.Locale.ROOT, "width: %.3f%%", percent);
    }
  }

  public static StatusBar of(Map<String, Long> counts, Long runCount) {
    Map<String, Long> c = counts == null ? Map.of() : counts;
    long sum = RUN_STATUSES.stream().mapToLong(s -> c.getOrDefault(s, 0L)).sum();
    long total = Math.max(runCount == null ? 0 : runCount, sum);
    List<Segment> segments = new ArrayList<>();
    for (String status : RUN_STATUSES) {
      long n = c.getOrDefault(status, 0L);
      if (n > 0) {
        segments.add(new Segment(status, n, total == 0 ? 0 : 100.0 * n / total));
      }
    }
    return new StatusBar(total, List.copyOf(segments));
  }

  /** {@code 3 SUCCESS, 1 FAILURE, 2 PENDING}: the counts as text, for screen readers and tests. */
  public String summary() {
    if (segments.isEmpty()) {
      return "no runs yet";
    }
    return String.join(", ", segments.stream().map(s -> s.count() + " " + s.status()).toList());
  }
}

package io.gridrun.job.domain.view;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The order of a results table, decided on the runs' entries: the runs with a value for the sort
 * key, in its order (ties in sequence order), then those without one, in sequence order; without a
 * sort key, sequence order (reversed for descending). The order the database gave before buckets.
 */
public final class ResultsOrder {

  private ResultsOrder() {}

  /**
   * @param key the sort key's value for an entry (null: none); null for sequence order
   * @return the sequence numbers of {@code entries} in table order
   */
  public static long[] of(
      List<RunEntry> entries, Function<RunEntry, Object> key, boolean descending) {
    List<RunEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingLong(RunEntry::seq));
    if (key == null) {
      long[] seqs = sorted.stream().mapToLong(RunEntry::seq).toArray();
      if (descending) {
        reverse(seqs);
      }
      return seqs;
    }
    record Keyed(long seq, Object value) {}
    List<Keyed> with = new ArrayList<>();
    List<Long> without = new ArrayList<>();
    for (RunEntry entry : sorted) {
      Object value = key.apply(entry);
      if (value == null) {
        without.add(entry.seq());
      } else {
        with.add(new Keyed(entry.seq(), value));
      }
    }
    Comparator<Object> values = descending ? ValueOrder.INSTANCE.reversed() : ValueOrder.INSTANCE;
    with.sort(Comparator.comparing(Keyed::value, values).thenComparingLong(Keyed::seq));
    long[] seqs = new long[sorted.size()];
    int i = 0;
    for (Keyed keyed : with) {
      seqs[i++] = keyed.seq();
    }
    for (long seq : without) {
      seqs[i++] = seq;
    }
    return seqs;
  }

  private static void reverse(long[] seqs) {
    for (int i = 0, j = seqs.length - 1; i < j; i++, j--) {
      long t = seqs[i];
      seqs[i] = seqs[j];
      seqs[j] = t;
    }
  }
}

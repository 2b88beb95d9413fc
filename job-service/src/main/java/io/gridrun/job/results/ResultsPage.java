package io.gridrun.job.results;

/**
 * Where one page of a results table falls when the table is the runs that have a value for the sort
 * key, sorted by it, followed by the runs that have none: how many of each to skip and take.
 */
record ResultsPage(long skipWith, int takeWith, long skipWithout, int takeWithout) {

  static ResultsPage of(long runsWithValue, int page, int size) {
    long from = (long) page * size;
    long to = from + size;
    long skipWith = Math.min(from, runsWithValue);
    int takeWith = (int) (Math.min(to, runsWithValue) - skipWith);
    long skipWithout = Math.max(0, from - runsWithValue);
    return new ResultsPage(skipWith, takeWith, skipWithout, size - takeWith);
  }
}

package io.gridrun.job.domain.view;

/**
 * How a job's runs are grouped into buckets (MongoDB's bucket pattern): bucket {@code k} holds the
 * entries of runs {@code k * SIZE .. (k + 1) * SIZE - 1} by sequence number, so a job of 100 000
 * runs has 200 buckets, each found by its id.
 */
public final class RunBuckets {

  /** Runs per bucket. */
  public static final int SIZE = 500;

  private RunBuckets() {}

  public static long bucket(long seq) {
    return seq / SIZE;
  }

  /** The run's position inside its bucket. */
  public static int slot(long seq) {
    return (int) (seq % SIZE);
  }

  /** How many buckets hold runs {@code 0 .. runs - 1}. */
  public static long count(long runs) {
    return (runs + SIZE - 1) / SIZE;
  }

  public static String id(String jobId, long bucket) {
    return String.format("%s-b%05d", jobId, bucket);
  }
}

package io.gridrun.gateway.config;

/** The words of the runs-per-job limit, the same at submission and for later batches. */
public final class RunLimit {

  public static final String SETTING = "gridrun.gateway.limits.max-runs-per-job";

  private RunLimit() {}

  /** A job of {@code runs} runs at submission. */
  public static String tooMany(long runs, long max) {
    return "the job has "
        + (runs == Long.MAX_VALUE ? "too many" : String.valueOf(runs))
        + " runs, more than the limit of "
        + max
        + " runs per job ("
        + SETTING
        + ")";
  }

  /** A new batch of {@code batch} runs on a job that has {@code runCount}. */
  public static String exceeded(long runCount, long batch, long max) {
    return "the job has "
        + runCount
        + " runs; a batch of "
        + batch
        + " more would pass the limit of "
        + max
        + " runs per job ("
        + SETTING
        + ")";
  }
}

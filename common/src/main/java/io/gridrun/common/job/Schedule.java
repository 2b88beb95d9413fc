package io.gridrun.common.job;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.OffsetDateTime;

/**
 * When a job runs: once at {@code at}, or on every firing of {@code cron} (5-field Unix or 6-field
 * with seconds) in the IANA {@code timezone} (default UTC). Null schedule = run now.
 *
 * @param overlap what a firing does while the previous batch still runs
 * @param missed what happens to firings missed while job-service was down
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Schedule(
    OffsetDateTime at, String cron, String timezone, Overlap overlap, Missed missed) {

  public Schedule {
    overlap = overlap == null ? Overlap.ALLOW : overlap;
    missed = missed == null ? Missed.LAST : missed;
  }

  /** True for a cron schedule, false for a one-off time. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean recurring() {
    return cron != null;
  }

  /** While a previous batch still runs, a firing... */
  public enum Overlap {
    /** ...starts another batch anyway. */
    ALLOW,
    /** ...is skipped and recorded as skipped. */
    FORBID,
    /** ...cancels the running batch and starts a new one. */
    REPLACE;

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Overlap of(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }

  /** Firings missed while job-service was down are... */
  public enum Missed {
    /** ...dropped; the schedule continues from now. */
    NONE,
    /** ...collapsed into one batch (the most recent missed firing). */
    LAST,
    /** ...each run as a batch of its own. */
    ALL;

    @com.fasterxml.jackson.annotation.JsonValue
    public String json() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Missed of(String value) {
      return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
  }
}

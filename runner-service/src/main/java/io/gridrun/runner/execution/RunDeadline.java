package io.gridrun.runner.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** When a run's pipeline {@code timeout} passes; {@link #NONE} when it has none. */
record RunDeadline(Instant at) {

  static final RunDeadline NONE = new RunDeadline(null);

  static RunDeadline after(Instant start, Optional<Duration> limit) {
    return limit.map(l -> new RunDeadline(start.plus(l))).orElse(NONE);
  }

  boolean passed(Instant now) {
    return at != null && !now.isBefore(at);
  }

  /** How long from {@code now} until the deadline, never negative; empty when there is none. */
  Optional<Duration> remaining(Instant now) {
    return at == null ? Optional.empty() : Optional.of(positive(Duration.between(now, at)));
  }

  private static Duration positive(Duration d) {
    return d.isNegative() ? Duration.ZERO : d;
  }
}

package io.gridrun.common.status;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a job.
 *
 * <pre>
 * PENDING ─→ STARTED ─→ SUCCESS | FAILURE | ABORTED
 *    │          ⇅
 *    │        PAUSED ─→ ABORTED        (scheduled jobs only)
 *    └─→ FAILURE | ABORTED            (snapshot failed, cancelled before start)
 * </pre>
 *
 * Terminal states are final.
 */
public enum JobStatus {
  PENDING,
  STARTED,
  PAUSED,
  SUCCESS,
  FAILURE,
  ABORTED;

  public boolean isTerminal() {
    return this == SUCCESS || this == FAILURE || this == ABORTED;
  }

  public Set<JobStatus> legalNext() {
    return switch (this) {
      case PENDING -> EnumSet.of(STARTED, PAUSED, FAILURE, ABORTED);
      case STARTED -> EnumSet.of(PAUSED, SUCCESS, FAILURE, ABORTED);
      case PAUSED -> EnumSet.of(STARTED, ABORTED);
      case SUCCESS, FAILURE, ABORTED -> EnumSet.noneOf(JobStatus.class);
    };
  }

  public boolean canTransitionTo(JobStatus next) {
    return legalNext().contains(next);
  }
}

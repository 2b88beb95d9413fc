package io.gridrun.common.status;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a pipeline run and of a step: {@code PENDING → STARTED → SUCCESS | FAILURE |
 * ABORTED}. A pending run or step may also end directly (aborted before it started, or failed
 * before it could start). A started run whose attempt was lost (its runner died or gave it up) goes
 * back to {@code PENDING}, with its steps, for the next attempt. Terminal states are final.
 */
public enum ExecutionStatus {
  PENDING,
  STARTED,
  SUCCESS,
  FAILURE,
  ABORTED;

  public boolean isTerminal() {
    return this == SUCCESS || this == FAILURE || this == ABORTED;
  }

  public Set<ExecutionStatus> legalNext() {
    return switch (this) {
      case PENDING -> EnumSet.of(STARTED, SUCCESS, FAILURE, ABORTED);
      case STARTED -> EnumSet.of(PENDING, SUCCESS, FAILURE, ABORTED);
      case SUCCESS, FAILURE, ABORTED -> EnumSet.noneOf(ExecutionStatus.class);
    };
  }

  public boolean canTransitionTo(ExecutionStatus next) {
    return legalNext().contains(next);
  }
}

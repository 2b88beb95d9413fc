package io.gridrun.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class StatusTest {

  @ParameterizedTest
  @EnumSource(
      value = ExecutionStatus.class,
      names = {"SUCCESS", "FAILURE", "ABORTED"})
  void terminalRunAndStepStatesAreFinal(ExecutionStatus terminal) {
    assertThat(terminal.isTerminal()).isTrue();
    for (ExecutionStatus next : ExecutionStatus.values()) {
      assertThat(terminal.canTransitionTo(next)).isFalse();
    }
  }

  @Test
  void aRunMovesForwardOnlyExceptBackToPendingWhenItsAttemptWasLost() {
    assertThat(ExecutionStatus.PENDING.canTransitionTo(ExecutionStatus.STARTED)).isTrue();
    assertThat(ExecutionStatus.STARTED.canTransitionTo(ExecutionStatus.SUCCESS)).isTrue();
    assertThat(ExecutionStatus.PENDING.canTransitionTo(ExecutionStatus.ABORTED)).isTrue();
    assertThat(ExecutionStatus.STARTED.canTransitionTo(ExecutionStatus.PENDING)).isTrue();
    assertThat(ExecutionStatus.SUCCESS.canTransitionTo(ExecutionStatus.PENDING)).isFalse();
    assertThat(ExecutionStatus.STARTED.canTransitionTo(ExecutionStatus.STARTED)).isFalse();
  }

  @Test
  void onlyAStartedJobCanBePausedAndOnlyAPausedJobResumed() {
    assertThat(JobStatus.STARTED.canTransitionTo(JobStatus.PAUSED)).isTrue();
    assertThat(JobStatus.PAUSED.canTransitionTo(JobStatus.STARTED)).isTrue();
    assertThat(JobStatus.PAUSED.canTransitionTo(JobStatus.SUCCESS)).isFalse();
    assertThat(JobStatus.SUCCESS.canTransitionTo(JobStatus.ABORTED)).isFalse();
    assertThat(JobStatus.FAILURE.legalNext()).isEmpty();
  }
}

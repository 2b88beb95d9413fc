package io.gridrun.job.domain;

import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The run the domain tests drive: run 0 of job {@code j}, steps {@code prep} then {@code train}.
 */
final class TwoStepRun {

  static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
  static final String ID = "j-r0000000";

  private TwoStepRun() {}

  /** The run waiting for its attempt {@code attempt}, with the error its last attempt left. */
  static RunRecord pending(int attempt, String error) {
    return new RunRecord(
        ID,
        "j",
        0,
        0L,
        0,
        0,
        ExecutionStatus.PENDING,
        attempt,
        new RunParameters(Map.of("lr", 0.1), Map.of()),
        List.of(StepState.pending("prep"), StepState.pending("train")),
        null,
        error,
        null,
        null,
        null);
  }

  /** The end of {@code step} in {@code attempt}: begun at T0+1 s, ended at T0+5 s, loss 0.2. */
  static StepFinished finished(
      String step, ExecutionStatus status, Integer exit, String reason, int attempt) {
    return new StepFinished(
        "e-" + step,
        "j",
        ID,
        step,
        T0.plusSeconds(5),
        attempt,
        status,
        exit,
        reason,
        T0.plusSeconds(1),
        T0.plusSeconds(5),
        Map.of("loss", 0.2));
  }
}

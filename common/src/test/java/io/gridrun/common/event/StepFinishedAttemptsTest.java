package io.gridrun.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepFinishedAttemptsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

  @Test
  void carriesEveryAttemptThroughJson() {
    StepFinished finished =
        new StepFinished(
            "e",
            "j",
            "j-r0000001",
            "train",
            T0.plusSeconds(30),
            1,
            ExecutionStatus.SUCCESS,
            0,
            null,
            T0,
            T0.plusSeconds(30),
            Map.of(),
            List.of(
                new StepAttempt(1, 3, "exit code 3", T0, T0.plusSeconds(5)),
                new StepAttempt(2, 0, null, T0.plusSeconds(15), T0.plusSeconds(30))));

    String json = EventCodec.encode(finished);

    assertThat(json)
        .contains(
            "\"attempts\":[{\"attempt\":1,\"exitCode\":3,\"reason\":\"exit code 3\","
                + "\"startedAt\":\"2026-11-25T06:00:00Z\",\"finishedAt\":\"2026-11-25T06:00:05Z\"}");
    assertThat(EventCodec.decode(json)).isEqualTo(finished);
  }

  @Test
  void anEventWithoutAttemptsReadsAsNoAttempts() {
    String older =
        "{\"type\":\"step.finished\",\"eventId\":\"e\",\"jobId\":\"j\",\"runId\":\"r\","
            + "\"stepId\":\"s\",\"status\":\"SUCCESS\",\"exitCode\":0,\"attempt\":1}";

    StepFinished finished = (StepFinished) EventCodec.decode(older);

    assertThat(finished.attempts()).isEmpty();
    assertThat(finished.exitCode()).isZero();
  }
}

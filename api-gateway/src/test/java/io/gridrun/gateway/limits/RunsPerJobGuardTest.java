package io.gridrun.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.EventCodec;
import io.gridrun.gateway.config.LimitsProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RunsPerJobGuardTest {

  private final RunsPerJobGuard guard =
      new RunsPerJobGuard(null, new LimitsProperties(4096, Duration.ofDays(30), 8, 10));

  private static JsonNode job(long runCount, long gridRuns, long failed, long aborted) {
    return EventCodec.mapper()
        .readTree(
            "{\"runCount\": %d, \"gridRuns\": %d, \"runCounts\": {\"FAILURE\": %d, \"ABORTED\": %d}}"
                .formatted(runCount, gridRuns, failed, aborted));
  }

  @Test
  void aTriggerThatWouldPassTheLimitIsRefusedNamingIt() {
    assertThat(guard.refusal(job(8, 4, 0, 0), false))
        .isEqualTo(
            "the job has 8 runs; a batch of 4 more would pass the limit of 10 runs per job"
                + " (gridrun.gateway.limits.max-runs-per-job)");
    assertThat(guard.refusal(job(6, 4, 0, 0), false)).isEmpty();
  }

  @Test
  void aRerunCountsTheFailedAndAbortedRunsAtMostOneGrid() {
    assertThat(guard.refusal(job(8, 4, 1, 1), true)).isEmpty();
    assertThat(guard.refusal(job(8, 4, 2, 1), true)).contains("a batch of 3 more");
    assertThat(guard.refusal(job(9, 4, 9, 0), true)).contains("a batch of 4 more");
  }
}

package io.gridrun.job.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.status.ExecutionStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final JobMetrics metrics = new JobMetrics(registry);

  @Test
  void aStepEndBeforeItsStartIsNotRecordedAndDoesNotFailTheEventThatReportsIt() {
    Instant start = Instant.parse("2026-11-30T12:00:00.000400Z");

    metrics.stepFinished("python", ExecutionStatus.ABORTED, start, start.minusNanos(400_000));

    assertThat(registry.find("gridrun.step.duration").timer()).isNull();
  }

  @Test
  void aStepsDurationIsRecordedPerEnvironmentAndStatus() {
    Instant start = Instant.parse("2026-11-30T12:00:00Z");

    metrics.stepFinished("python", ExecutionStatus.SUCCESS, start, start.plusSeconds(3));

    assertThat(
            registry
                .get("gridrun.step.duration")
                .tags("environment", "python", "status", "SUCCESS")
                .timer()
                .totalTime(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(3.0);
  }
}

package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunLeaseTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @Test
  void aLeaseExpiresOneTimeoutAfterTheRunnerWasLastHeardFrom() {
    RunLease lease = RunLease.heardFrom("r", "j", 1, "runner-a", T0, TIMEOUT);

    assertThat(lease.expired(T0.plusSeconds(29))).isFalse();
    assertThat(lease.expired(T0.plusSeconds(30))).isTrue();
    assertThat(lease.lossReason(TIMEOUT, null))
        .isEqualTo("runner runner-a sent no heartbeat for PT30S");
  }

  @Test
  void aRequestedRunsLeaseExpiresAfterTheStartTimeout() {
    RunLease lease = RunLease.requested("r", "j", 2, T0, Duration.ofMinutes(5));

    assertThat(lease.started()).isFalse();
    assertThat(lease.expired(T0.plusSeconds(299))).isFalse();
    assertThat(lease.expired(T0.plusSeconds(300))).isTrue();
    assertThat(lease.lossReason(TIMEOUT, Duration.ofMinutes(5)))
        .isEqualTo("no runner started it within PT5M");
  }
}

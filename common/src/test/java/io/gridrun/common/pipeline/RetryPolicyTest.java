package io.gridrun.common.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  @Test
  void waitsBackoffTimesFactorToThePowerOfEarlierRetries() {
    RetryPolicy policy = new RetryPolicy(3, "10s", 2.0);

    assertThat(policy.attempts()).isEqualTo(4);
    assertThat(policy.waitBefore(1)).isZero();
    assertThat(policy.waitBefore(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(policy.waitBefore(3)).isEqualTo(Duration.ofSeconds(20));
    assertThat(policy.waitBefore(4)).isEqualTo(Duration.ofSeconds(40));
  }

  @Test
  void aFactorOfOneWaitsAlikeAndFractionsRound() {
    assertThat(new RetryPolicy(5, "300ms", 1.0).waitBefore(5)).isEqualTo(Duration.ofMillis(300));
    assertThat(new RetryPolicy(5, "100ms", 1.5).waitBefore(4)).isEqualTo(Duration.ofMillis(225));
  }

  @Test
  void defaultsToNoRetryTenSecondsAndDoubling() {
    assertThat(RetryPolicy.NONE.attempts()).isEqualTo(1);
    RetryPolicy onlyMax = new RetryPolicy(2, null, null);
    assertThat(onlyMax.waitBefore(2)).isEqualTo(Duration.ofSeconds(10));
    assertThat(onlyMax.waitBefore(3)).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void neverWaitsLongerThanADay() {
    assertThat(new RetryPolicy(100, "1h", 100.0).waitBefore(100))
        .isEqualTo(RetryPolicy.LONGEST_WAIT);
  }
}

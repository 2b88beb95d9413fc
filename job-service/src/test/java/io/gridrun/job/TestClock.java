package io.gridrun.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The real time plus an offset that tests move forward to reach a schedule's firings, in
 * milliseconds like job-service's clock.
 */
public final class TestClock extends Clock {

  // static: every job-service instance a test starts in this JVM shares the same time
  private static final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

  /** Moves the clock forward to {@code instant} (never backwards). */
  public void advanceTo(Instant instant) {
    offset.updateAndGet(
        current -> {
          Duration needed = Duration.between(Instant.now(), instant);
          return needed.compareTo(current) > 0 ? needed : current;
        });
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException();
  }

  /** Ticks in milliseconds, as job-service's own clock does. */
  @Override
  public Instant instant() {
    return Instant.now().plus(offset.get()).truncatedTo(ChronoUnit.MILLIS);
  }

  /** Puts the test clock in place of the system clock. */
  @TestConfiguration(proxyBeanMethods = false)
  public static class Configuration {
    @Bean
    @Primary
    TestClock testClock() {
      return new TestClock();
    }
  }
}

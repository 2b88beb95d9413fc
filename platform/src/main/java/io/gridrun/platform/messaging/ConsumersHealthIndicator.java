package io.gridrun.platform.messaging;

import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * {@code consumers}: DOWN while a consumer waits out an outage (a message of a held partition keeps
 * failing because the database or broker is unreachable), with the held partitions as details.
 */
public class ConsumersHealthIndicator implements HealthIndicator {

  private final HeldPartitions held;

  public ConsumersHealthIndicator(HeldPartitions held) {
    this.held = held;
  }

  @Override
  public Health health() {
    List<HeldPartitions.Held> all = held.all();
    boolean waiting = all.stream().anyMatch(h -> h.kind() == FailureKind.INFRASTRUCTURE);
    Health.Builder builder = waiting ? Health.down() : Health.up();
    return builder.withDetail("held", all).build();
  }
}

package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StackEnvironmentTest {

  @Test
  void theLocalStackPassesTheWebhookAllowListAndTheCronIntervalToTheGateway() {
    assertThat(
            StackSettings.gatewayEnvironment(
                Map.of(
                    "GRIDRUN_WEBHOOK_ALLOWED_HOSTS", " 127.0.0.1,10.0.0.0/8 ",
                    "GRIDRUN_CRON_MIN_INTERVAL", "1s",
                    "OTHER", "x")))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "gridrun.webhooks.allowed-hosts", "127.0.0.1,10.0.0.0/8",
                "gridrun.schedule.min-interval", "1s"));
    assertThat(StackSettings.gatewayEnvironment(Map.of("GRIDRUN_CRON_MIN_INTERVAL", " ")))
        .isEmpty();
  }
}

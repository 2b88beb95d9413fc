package io.gridrun.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ContainerCpuTest {

  @Test
  void utimeAndStimeAreReadAfterACommandNameWithSpacesAndParentheses() {
    String stat =
        "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 93847 0 12 0 1234 567 0 0 20 0 41 0"
            + " 7000 9999 12345";
    assertThat(ContainerCpu.parse(stat)).isCloseTo((1234 + 567) * 10.0, within(0.001));
  }

  @Test
  void theOwnProcessHasUsedSomeCpu() throws Exception {
    assertThat(ContainerCpu.millis(ProcessHandle.current().pid())).isPositive();
    assertThat(ContainerCpu.millis(Long.MAX_VALUE)).isZero();
  }

  @Test
  void replicasAddUpPerService() {
    Map<String, Double> used =
        ContainerCpu.perService(
            Map.of("r1", 100.0, "r2", 50.0, "g", 10.0),
            Map.of("r1", 400.0, "r2", 250.0, "g", 70.0),
            Map.of("r1", "runner-service", "r2", "runner-service", "g", "api-gateway"));
    assertThat(used)
        .containsExactly(Map.entry("api-gateway", 60.0), Map.entry("runner-service", 500.0));
  }
}

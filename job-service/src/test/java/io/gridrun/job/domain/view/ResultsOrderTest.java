package io.gridrun.job.domain.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.status.ExecutionStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs with a value first in its order (ties by sequence), then the others in sequence order. */
class ResultsOrderTest {

  private static RunEntry run(long seq, Object loss) {
    return new RunEntry(
        seq,
        ExecutionStatus.SUCCESS,
        0,
        seq,
        loss == null ? Map.of() : Map.of("train", Map.of("loss", loss)));
  }

  private final List<RunEntry> entries =
      List.of(run(4, 0.5), run(0, null), run(1, 0.2), run(2, 0.5), run(3, null), run(5, 0.1));

  @Test
  void ascendingAndDescendingByAMetric() {
    assertThat(ResultsOrder.of(entries, e -> e.metric("train", "loss"), false))
        .containsExactly(5, 1, 2, 4, 0, 3);
    assertThat(ResultsOrder.of(entries, e -> e.metric("train", "loss"), true))
        .containsExactly(2, 4, 1, 5, 0, 3);
  }

  @Test
  void withoutAKeyInSequenceOrder() {
    assertThat(ResultsOrder.of(entries, null, false)).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(ResultsOrder.of(entries, null, true)).containsExactly(5, 4, 3, 2, 1, 0);
  }
}

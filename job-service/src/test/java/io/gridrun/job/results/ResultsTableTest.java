package io.gridrun.job.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsTableTest {

  private static RunRecord run(long index, Object lr, Map<String, Object> trainMetrics) {
    return new RunRecord(
        RunRecord.idOf("j", index),
        "j",
        index,
        index,
        0,
        index,
        ExecutionStatus.SUCCESS,
        1,
        new RunParameters(Map.of("lr", lr), Map.of("train", Map.of("epochs", 3))),
        List.of(),
        trainMetrics == null ? Map.of() : Map.of("train", trainMetrics),
        null,
        null,
        null);
  }

  private final ResultsTable table =
      new ResultsTable(
          List.of(
              run(0, 0.1, Map.of("loss", 0.5)),
              run(1, 0.01, null),
              run(2, 0.5, Map.of("loss", 0.25, "note", "a,b \"quoted\"")),
              run(3, 0.2, Map.of("loss", 0.5))));

  @Test
  void sortsByAMetricWithMissingValuesLastInBothOrdersAndTiesByIndex() {
    assertThat(table.sorted("train.loss", false))
        .extracting(RunRecord::index)
        .containsExactly(2L, 0L, 3L, 1L);
    assertThat(table.sorted("train.loss", true))
        .extracting(RunRecord::index)
        .containsExactly(0L, 3L, 2L, 1L);
  }

  @Test
  void sortsByPipelineAndStepParameters() {
    assertThat(table.sorted("lr", false))
        .extracting(RunRecord::index)
        .containsExactly(1L, 0L, 3L, 2L);
    assertThat(table.sorted("train.epochs", true))
        .extracting(RunRecord::index)
        .containsExactly(0L, 1L, 2L, 3L);
    assertThat(table.sorted(null, false))
        .extracting(RunRecord::index)
        .containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void writesOneCsvColumnPerParameterAndMetricQuotingWhatNeedsIt() {
    String csv = table.csv(table.sorted(null, false));

    String[] lines = csv.split("\r\n");
    assertThat(lines[0])
        .isEqualTo(
            "index,run_id,batch,status,param.lr,param.train.epochs,metric.train.loss,metric.train.note");
    assertThat(lines[2]).isEqualTo("1,j-r0000001,0,SUCCESS,0.01,3,,");
    assertThat(lines[3]).isEqualTo("2,j-r0000002,0,SUCCESS,0.5,3,0.25,\"a,b \"\"quoted\"\"\"");
  }
}

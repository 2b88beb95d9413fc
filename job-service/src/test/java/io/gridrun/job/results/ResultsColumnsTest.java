package io.gridrun.job.results;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultsColumnsTest {

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
        null,
        null);
  }

  @Test
  void oneCsvColumnPerParameterAndMetricAnyRunHasQuotingWhatNeedsIt() {
    RunRecord plain = run(1, 0.01, null);
    RunRecord quoted = run(2, 0.5, Map.of("loss", 0.25, "note", "a,b \"quoted\""));
    ResultsColumns columns = new ResultsColumns().add(plain).add(quoted);

    assertThat(columns.header())
        .isEqualTo(
            "index,run_id,batch,status,param.lr,param.train.epochs,metric.train.loss,"
                + "metric.train.note\r\n");
    assertThat(columns.row(plain)).isEqualTo("1,j-r0000001,0,SUCCESS,0.01,3,,\r\n");
    assertThat(columns.row(quoted))
        .isEqualTo("2,j-r0000002,0,SUCCESS,0.5,3,0.25,\"a,b \"\"quoted\"\"\"\r\n");
  }
}

package io.gridrun.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.Topics;
import io.gridrun.common.event.UndecodableEventException;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {

  private static final Instant AT = Instant.parse("2026-11-25T06:00:00Z");

  @Test
  void writesAStableLogicalTypeNameAndIsoTimes() {
    JobCreated created =
        new JobCreated(
            "e1",
            "j1",
            AT,
            "sweep",
            "demo",
            "train.pipeline.json",
            new ParameterGrid(Map.of("lr", List.of(0.1, 0.01)), Map.of()),
            Map.of("MODE", "full"),
            null);

    String json = EventCodec.encode(created);

    assertThat(json)
        .contains("\"type\":\"job.created\"")
        .contains("\"at\":\"2026-11-25T06:00:00Z\"");
    assertThat(json).doesNotContain("io.gridrun").doesNotContain("\"topic\"");
    assertThat(EventCodec.decode(json)).isEqualTo(created);
  }

  @Test
  void ignoresFieldsItDoesNotKnow() {
    String json =
        "{\"type\":\"step.finished\",\"eventId\":\"e\",\"jobId\":\"j\",\"runId\":\"r\",\"stepId\":\"s\","
            + "\"status\":\"SUCCESS\",\"exitCode\":0,\"attempt\":1,\"addedInAFutureVersion\":{\"x\":1}}";

    GridrunEvent event = EventCodec.decode(json);

    assertThat(event).isInstanceOf(StepFinished.class);
    assertThat(((StepFinished) event).status()).isEqualTo(ExecutionStatus.SUCCESS);
  }

  @Test
  void keysRunRequestsByRunAndEverythingElseByJob() {
    RunRequested request =
        new RunRequested(
            "e",
            "j1",
            "j1-r0000001",
            AT,
            1,
            0,
            1,
            "s-j1",
            "m",
            new PipelineDefinition("p", null, null, null),
            Map.of(),
            new RunParameters(Map.of("lr", 0.1), Map.of()),
            Map.of());

    assertThat(request.topic()).isEqualTo(Topics.RUNS);
    assertThat(request.key()).isEqualTo("j1-r0000001");
    assertThat(
            ((RunRequested) EventCodec.decode(EventCodec.encode(request))).parameters().pipeline())
        .containsEntry("lr", 0.1);
  }

  @Test
  void refusesPoisonMessages() {
    assertThatThrownBy(() -> EventCodec.decode("not json"))
        .isInstanceOf(UndecodableEventException.class);
    assertThatThrownBy(() -> EventCodec.decode("{\"type\":\"no.such.type\",\"jobId\":\"j\"}"))
        .isInstanceOf(UndecodableEventException.class);
    assertThatThrownBy(() -> EventCodec.decode("{\"type\":\"snapshot.failed\",\"reason\":\"x\"}"))
        .isInstanceOf(UndecodableEventException.class)
        .hasMessageContaining("without eventId or jobId");
  }
}

package io.gridrun.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RunSelectionTest {

  private static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "p",
          Map.of("lr", 0.1),
          Map.of(),
          List.of(
              new StepDefinition(
                  "train", "t.sh", "busybox", List.of(), Map.of("epochs", 5), null)));
  private static final GridExpansion GRID =
      new GridExpansion(
          PIPELINE,
          new ParameterGrid(
              Map.of("lr", List.of(0.1, 0.01)),
              Map.of("train", Map.of("epochs", List.of(1, 2, 3)))));

  private static List<Long> kept(RunSelection selection) {
    return LongStream.range(0, GRID.size())
        .filter(i -> selection.keeps(i, GRID.parametersAt(i)))
        .boxed()
        .toList();
  }

  @Test
  void excludeDropsEveryCombinationMatchingAPartialCombination() {
    RunSelection selection =
        new RunSelection(
            List.of(
                new RunParameters(Map.of("lr", 0.01), Map.of("train", Map.of("epochs", 3))),
                new RunParameters(Map.of(), Map.of("train", Map.of("epochs", 1.0)))),
            null,
            null);

    assertThat(kept(selection)).containsExactly(1L, 2L, 4L);
    assertThat(selection.count(GRID)).isEqualTo(3);
  }

  @Test
  void runsKeepsOnlyTheListedGridIndices() {
    RunSelection selection = new RunSelection(null, null, List.of(4L, 0L));

    assertThat(kept(selection)).containsExactly(0L, 4L);
    assertThat(selection.problems(GRID)).isEmpty();
    assertThat(new RunSelection(null, null, List.of(6L)).problems(GRID))
        .containsExactly("runs: 6 is not an index of the grid (0..5)");
  }

  @Test
  void includeAddsExplicitCombinationsOverTheDefaults() {
    RunSelection selection =
        new RunSelection(null, List.of(new RunParameters(Map.of("lr", 1.0), Map.of())), null);

    RunParameters extra = selection.included(0, GRID.parametersAt(0));

    assertThat(selection.count(GRID)).isEqualTo(7);
    assertThat(extra.pipeline()).containsEntry("lr", 1.0);
    assertThat(extra.step("train")).containsEntry("epochs", 1);
  }

  @Test
  void jobOptionsTravelInJobCreatedAndOldReadersDefaultThem() {
    JobOptions options =
        new JobOptions(
            new RunSelection(null, null, List.of(1L)),
            new Schedule(
                null, "0 3 * * MON-FRI", "Europe/Amsterdam", Schedule.Overlap.FORBID, null),
            true,
            10,
            null);
    JobCreated created =
        new JobCreated(
            "e",
            "j",
            Instant.EPOCH,
            "n",
            "p",
            "p.json",
            ParameterGrid.EMPTY,
            Map.of(),
            null,
            options);

    String json = EventCodec.encode(created);
    JobCreated read = (JobCreated) EventCodec.decode(json);

    assertThat(json).contains("\"overlap\":\"forbid\"").contains("\"missed\":\"last\"");
    assertThat(read.options()).isEqualTo(options);
    JobCreated legacy =
        (JobCreated)
            EventCodec.decode(
                "{\"type\":\"job.created\",\"eventId\":\"e\",\"jobId\":\"j\",\"name\":\"n\"}");
    assertThat(legacy.options().selection()).isEqualTo(RunSelection.ALL);
    assertThat(legacy.options().failFast()).isFalse();
  }
}

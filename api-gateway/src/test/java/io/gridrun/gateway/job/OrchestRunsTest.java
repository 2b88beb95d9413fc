package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.RunSelection;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestRunsTest {

  private static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "quick",
          Map.of("size", 100),
          Map.of("ORCHEST_PIPELINE_UUID", "pipe-uuid"),
          List.of(
              new StepDefinition(
                  "s-ridge",
                  "r.py",
                  "e",
                  null,
                  Map.of("alpha", 1.0),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "Ridge"),
              new StepDefinition(
                  "s-knn",
                  "k.py",
                  "e",
                  null,
                  Map.of("k", 3),
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "KNN")));

  private static JobRequest request(
      ParameterGrid grid, RunSelection selection, List<Map<String, Map<String, Object>>> runs) {
    return new JobRequest(
        "j",
        "p",
        "quick.orchest",
        grid,
        Map.of(),
        null,
        new JobOptions(selection, null, null, null, null, null),
        runs);
  }

  @Test
  void orchestsListOfRunsAloneMakesTheGridAndSelectsExactlyThoseRuns() {
    List<Map<String, Map<String, Object>>> runs =
        List.of(
            Map.of("pipe-uuid", Map.of("size", 200), "s-ridge", Map.of("alpha", 0.1)),
            Map.of("pipe-uuid", Map.of("size", 300), "Ridge", Map.of("alpha", 10)),
            Map.of("pipeline", Map.of("size", 200), "s-ridge", Map.of("alpha", 10.0)));

    JobRequest applied = OrchestRuns.apply(request(ParameterGrid.EMPTY, null, runs), PIPELINE);

    GridExpansion grid = new GridExpansion(PIPELINE, applied.grid());
    assertThat(grid.size()).isEqualTo(4); // size 200|300 × alpha 0.1|10
    List<Long> kept = applied.options().selection().runs();
    assertThat(kept).hasSize(3);
    assertThat(kept.stream().map(i -> grid.parametersAt(i)).toList())
        .allSatisfy(p -> assertThat(p.steps().get("s-knn")).isEqualTo(Map.of("k", 3)))
        .anySatisfy(
            p -> {
              assertThat(p.pipeline()).containsEntry("size", 300);
              assertThat(p.steps().get("s-ridge").get("alpha")).isEqualTo(10);
            });
    assertThat(applied.orchestParameters()).isNull();
  }

  @Test
  void withAGridTheEntriesSelectFromItAndAnEntryOutsideItIsRefused() {
    ParameterGrid grid =
        new ParameterGrid(Map.of(), Map.of("s-knn", Map.of("k", List.of(1, 5, 9))));
    JobRequest applied =
        OrchestRuns.apply(request(grid, null, List.of(Map.of("KNN", Map.of("k", 9)))), PIPELINE);
    assertThat(applied.options().selection().runs()).containsExactly(2L);

    assertThatThrownBy(
            () ->
                OrchestRuns.apply(
                    request(grid, null, List.of(Map.of("s-knn", Map.of("k", 4)))), PIPELINE))
        .hasMessageContaining("parameters[0] matches no combination of the job's grid");
    assertThatThrownBy(
            () ->
                OrchestRuns.apply(
                    request(grid, null, List.of(Map.of("nobody", Map.of("k", 4)))), PIPELINE))
        .hasMessageContaining(
            "parameters[0]: 'nobody' is neither the pipeline's uuid nor a step's uuid or title");
    assertThatThrownBy(
            () ->
                OrchestRuns.apply(
                    request(
                        grid,
                        new RunSelection(null, null, List.of(0L)),
                        List.of(Map.of("s-knn", Map.of("k", 1)))),
                    PIPELINE))
        .hasMessageContaining("instead of exclude and runs");
  }
}

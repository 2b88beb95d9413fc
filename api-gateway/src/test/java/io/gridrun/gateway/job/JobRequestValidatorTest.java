package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobRequestValidatorTest {

  private static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "train",
          Map.of("lr", 0.1),
          Map.of(),
          List.of(
              new StepDefinition("prep", "prep.sh", "busybox", List.of(), Map.of(), null),
              new StepDefinition(
                  "train", "train.sh", "busybox", List.of("prep"), Map.of("epochs", 5), null)));

  private static JobRequest request(ParameterGrid grid) {
    return new JobRequest("sweep", "demo", "train.pipeline.json", grid, Map.of(), null);
  }

  @Test
  void countsTheRunsOfAValidGrid() {
    ParameterGrid grid =
        new ParameterGrid(
            Map.of("lr", List.of(0.1, 0.01)), Map.of("train", Map.of("epochs", List.of(1, 2, 3))));

    assertThat(new JobRequestValidator(100).validate(request(grid), PIPELINE, Set.of("busybox")))
        .isEqualTo(6);
  }

  @Test
  void rejectsAnUnregisteredEnvironmentAndAnUnknownStep() {
    ParameterGrid grid = new ParameterGrid(Map.of(), Map.of("evaluate", Map.of("k", List.of(1))));

    assertThatThrownBy(
            () -> new JobRequestValidator(100).validate(request(grid), PIPELINE, Set.of()))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(String.join("\n", e.problems()))
                    .contains("step 'prep' uses environment 'busybox', which is not registered")
                    .contains("grid.steps.evaluate: the pipeline has no step 'evaluate'"));
  }

  @Test
  void rejectsAGridOverTheLimit() {
    ParameterGrid grid =
        new ParameterGrid(
            Map.of("lr", List.of(1, 2, 3, 4)), Map.of("train", Map.of("epochs", List.of(1, 2, 3))));

    assertThatThrownBy(
            () -> new JobRequestValidator(10).validate(request(grid), PIPELINE, Set.of("busybox")))
        .hasMessage(
            "the grid has 12 combinations, more than the limit of 10"
                + " (gridrun.gateway.max-grid-size)");
  }

  @Test
  void rejectsAJobOverTheRunsPerJobLimitNamingIt() {
    ParameterGrid grid =
        new ParameterGrid(
            Map.of("lr", List.of(1, 2, 3, 4)), Map.of("train", Map.of("epochs", List.of(1, 2, 3))));

    assertThatThrownBy(
            () ->
                new JobRequestValidator(100, 11)
                    .validate(request(grid), PIPELINE, Set.of("busybox")))
        .hasMessage(
            "the job has 12 runs, more than the limit of 11 runs per job"
                + " (gridrun.gateway.limits.max-runs-per-job)");
    assertThat(
            new JobRequestValidator(100, 12).validate(request(grid), PIPELINE, Set.of("busybox")))
        .isEqualTo(12);
  }

  @Test
  void rejectsACyclicPipeline() {
    PipelineDefinition cyclic =
        new PipelineDefinition(
            "c",
            Map.of(),
            Map.of(),
            List.of(
                new StepDefinition("a", "a.sh", "busybox", List.of("b"), Map.of(), null),
                new StepDefinition("b", "b.sh", "busybox", List.of("a"), Map.of(), null)));

    assertThatThrownBy(
            () ->
                new JobRequestValidator(10)
                    .validate(request(ParameterGrid.EMPTY), cyclic, Set.of("busybox")))
        .hasMessageContaining("the steps form a cycle");
  }
}

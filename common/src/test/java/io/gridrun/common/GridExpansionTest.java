package io.gridrun.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.grid.GridExpansion;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class GridExpansionTest {

  private static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "train",
          ordered("lr", 0.1, "batch", 32),
          Map.of(),
          List.of(
              new StepDefinition("prep", "prep.sh", "busybox", List.of(), Map.of(), null),
              new StepDefinition(
                  "train", "train.sh", "busybox", List.of("prep"), Map.of("epochs", 5), null)));

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put((String) kv[i], kv[i + 1]);
    }
    return map;
  }

  @Test
  void expandsTheCartesianProductWithTheFirstKeyVaryingSlowest() {
    ParameterGrid grid =
        new ParameterGrid(
            Map.of("lr", List.of(0.1, 0.01)), Map.of("train", Map.of("epochs", List.of(1, 2, 3))));
    GridExpansion expansion = new GridExpansion(PIPELINE, grid);

    assertThat(expansion.size()).isEqualTo(6);
    List<String> order =
        LongStream.range(0, 6)
            .mapToObj(expansion::parametersAt)
            .map(p -> p.pipeline().get("lr") + "/" + p.step("train").get("epochs"))
            .toList();
    assertThat(order).containsExactly("0.1/1", "0.1/2", "0.1/3", "0.01/1", "0.01/2", "0.01/3");
  }

  @Test
  void keepsPipelineDefaultsForParametersAbsentFromTheGrid() {
    RunParameters run =
        new GridExpansion(PIPELINE, new ParameterGrid(Map.of("lr", List.of(0.5)), Map.of()))
            .parametersAt(0);

    assertThat(run.pipeline()).containsEntry("lr", 0.5).containsEntry("batch", 32);
    assertThat(run.step("train")).containsEntry("epochs", 5);
    assertThat(run.steps()).doesNotContainKey("prep");
  }

  @Test
  void ordersStepAxesByPipelineOrderNotGridOrder() {
    Map<String, Map<String, List<Object>>> steps = new LinkedHashMap<>();
    steps.put("train", Map.of("epochs", List.of(1, 2)));
    steps.put("prep", Map.of("rows", List.of(10, 20)));
    GridExpansion expansion = new GridExpansion(PIPELINE, new ParameterGrid(Map.of(), steps));

    // prep comes first in the pipeline, so its parameter varies slowest
    assertThat(expansion.parametersAt(1).step("prep")).containsEntry("rows", 10);
    assertThat(expansion.parametersAt(1).step("train")).containsEntry("epochs", 2);
    assertThat(expansion.parametersAt(2).step("prep")).containsEntry("rows", 20);
    assertThat(expansion.parametersAt(0).steps().keySet()).containsExactly("prep", "train");
  }

  @Test
  void anEmptyGridIsOneRunWithTheDefaults() {
    GridExpansion expansion = new GridExpansion(PIPELINE, ParameterGrid.EMPTY);

    assertThat(expansion.size()).isEqualTo(1);
    assertThat(expansion.parametersAt(0).pipeline()).containsEntry("lr", 0.1);
  }

  @Test
  void reportsAnOverflowingProductAsUnboundedInsteadOfWrappingAround() {
    Map<String, List<Object>> axes = new LinkedHashMap<>();
    List<Object> thousand = LongStream.range(0, 1000).boxed().map(Object.class::cast).toList();
    for (int i = 0; i < 8; i++) {
      axes.put("p" + i, thousand);
    }
    GridExpansion expansion = new GridExpansion(PIPELINE, new ParameterGrid(axes, Map.of()));

    assertThat(expansion.size()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void refusesAnIndexOutsideTheGrid() {
    GridExpansion expansion = new GridExpansion(PIPELINE, ParameterGrid.EMPTY);

    assertThatThrownBy(() -> expansion.parametersAt(1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void reportsGridProblemsAgainstThePipeline() {
    ParameterGrid grid = new ParameterGrid(Map.of(), Map.of("evaluate", Map.of("k", List.of(1))));

    assertThat(grid.problems(PIPELINE))
        .containsExactly("grid.steps.evaluate: the pipeline has no step 'evaluate'");
  }
}

package io.gridrun.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.pipeline.Dag;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineDefinitionTest {

  private static StepDefinition step(String id, String... dependsOn) {
    return new StepDefinition(id, id + ".sh", "busybox", List.of(dependsOn), Map.of(), null);
  }

  private static PipelineDefinition pipeline(StepDefinition... steps) {
    return new PipelineDefinition("p", Map.of(), Map.of(), List.of(steps));
  }

  @Test
  void ordersStepsAfterTheirDependenciesKeepingPipelineOrderForTies() {
    PipelineDefinition p =
        pipeline(
            step("report", "train", "eval"),
            step("prep"),
            step("train", "prep"),
            step("eval", "prep"));

    assertThat(p.problems()).isEmpty();
    assertThat(Dag.of(p).topologicalOrder()).containsExactly("prep", "train", "eval", "report");
  }

  @Test
  void findsACycleAndNamesItsSteps() {
    PipelineDefinition p = pipeline(step("a", "c"), step("b", "a"), step("c", "b"));

    assertThat(p.problems()).singleElement().asString().startsWith("the steps form a cycle:");
    assertThat(Dag.of(p).cycle()).hasValueSatisfying(c -> assertThat(c).contains("a", "b", "c"));
    assertThatThrownBy(() -> Dag.of(p).topologicalOrder())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void reportsDanglingAndSelfDependencies() {
    PipelineDefinition p = pipeline(step("a", "ghost"), step("b", "b"));

    assertThat(p.problems())
        .containsExactly(
            "step 'a' depends on 'ghost', which is not a step of the pipeline",
            "step 'b' depends on itself");
  }

  @Test
  void reportsDuplicateIdsUnsafeFilesAndMissingEnvironments() {
    PipelineDefinition p =
        pipeline(
            step("a"),
            step("a"),
            new StepDefinition("b", "../escape.sh", "busybox", List.of(), Map.of(), null),
            new StepDefinition("c", "c.sh", " ", List.of(), Map.of(), null),
            new StepDefinition("bad id", "d.sh", "busybox", List.of(), Map.of(), null));

    assertThat(p.problems())
        .containsExactly(
            "step id 'a' is used more than once",
            "step 'b' file '../escape.sh' must be a path inside the project",
            "step 'c' has no environment",
            "step id 'bad id' must be 1-64 letters, digits, '_' or '-'");
  }

  @Test
  void derivesTheCommandFromTheFileExtensionUnlessGiven() {
    assertThat(step("a").effectiveCommand()).containsExactly("sh", "a.sh");
    assertThat(new StepDefinition("t", "t.py", "py", null, null, null).effectiveCommand())
        .containsExactly("python3", "t.py");
    assertThat(
            new StepDefinition("t", "t.py", "py", null, null, List.of("python3", "-u", "t.py"))
                .effectiveCommand())
        .containsExactly("python3", "-u", "t.py");
  }

  @Test
  void listsDownstreamStepsTransitively() {
    PipelineDefinition p = pipeline(step("a"), step("b", "a"), step("c", "b"), step("d"));

    assertThat(Dag.of(p).downstreamOf("a")).containsExactlyInAnyOrder("b", "c");
    assertThat(Dag.of(p).downstreamOf("d")).isEmpty();
  }
}

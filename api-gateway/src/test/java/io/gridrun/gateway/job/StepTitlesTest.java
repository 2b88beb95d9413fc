package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepTitlesTest {

  private static StepDefinition step(String id, String title) {
    return new StepDefinition(
        id, id + ".py", "e", null, null, null, null, null, null, null, null, title);
  }

  private static final PipelineDefinition PIPELINE =
      new PipelineDefinition(
          "p",
          Map.of(),
          Map.of(),
          List.of(
              step("uuid-1", "Train"),
              step("uuid-2", "Twin"),
              step("uuid-3", "Twin"),
              step("plain", null)));

  private static JobRequest request(Map<String, Map<String, List<Object>>> steps) {
    return new JobRequest(
        "j", "proj", "p.orchest", new ParameterGrid(Map.of(), steps), Map.of(), 1);
  }

  @Test
  void aUniqueTitleAddressesItsStepAndIdsAmbiguousTitlesAndUnknownsAreLeftAlone() {
    JobRequest resolved =
        StepTitles.resolve(
            request(
                Map.of(
                    "Train", Map.of("lr", List.of(0.1, 0.2)),
                    "Twin", Map.of("x", List.of(1)),
                    "plain", Map.of("y", List.of(2)),
                    "nope", Map.of("z", List.of(3)))),
            PIPELINE);

    assertThat(resolved.grid().steps())
        .containsEntry("uuid-1", Map.of("lr", List.of(0.1, 0.2)))
        .containsEntry("Twin", Map.of("x", List.of(1)))
        .containsEntry("plain", Map.of("y", List.of(2)))
        .containsEntry("nope", Map.of("z", List.of(3)))
        .doesNotContainKey("Train");
    // the pipeline's check still names the ambiguous title and the unknown step
    assertThat(resolved.grid().problems(PIPELINE)).anyMatch(p -> p.contains("Twin"));
    assertThat(resolved.grid().problems(PIPELINE)).anyMatch(p -> p.contains("nope"));
  }

  @Test
  void aGridAddressedByIdsIsTheSameRequest() {
    JobRequest request = request(Map.of("uuid-1", Map.of("lr", List.of(0.1))));
    assertThat(StepTitles.resolve(request, PIPELINE)).isSameAs(request);
  }
}

package io.gridrun.gateway.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobRequestParserTest {

  @Test
  void readsAFullRequestKeepingGridOrderAndJsonValueTypes() {
    JobRequest request =
        JobRequestParser.parse(
            """
            { "name": "lr-sweep", "project": "demo", "pipeline": "train.pipeline.json",
              "grid": { "pipeline": { "lr": [0.1, 0.01], "arch": ["a", "b"] },
                        "steps": { "train": { "epochs": [1, 2, 3] } } },
              "env": { "MODE": "full", "SEED": 7 }, "maxParallelRuns": 2, "unknown": true }
            """);

    assertThat(request.name()).isEqualTo("lr-sweep");
    assertThat(request.grid().pipeline().keySet()).containsExactly("lr", "arch");
    assertThat(request.grid().pipeline().get("lr")).containsExactly(0.1, 0.01);
    assertThat(request.grid().steps().get("train").get("epochs")).containsExactly(1, 2, 3);
    assertThat(request.env()).containsEntry("MODE", "full").containsEntry("SEED", "7");
    assertThat(request.maxParallelRuns()).isEqualTo(2);
  }

  @Test
  void rejectsMalformedJsonWithTheParserMessage() {
    assertThatThrownBy(() -> JobRequestParser.parse("{\"name\": "))
        .isInstanceOf(InvalidJobRequestException.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void namesEveryGridValueThatIsNotAList() {
    assertThatThrownBy(
            () ->
                JobRequestParser.parse(
                    """
                    { "name": "x", "project": "demo", "pipeline": "p.json",
                      "grid": { "pipeline": { "lr": 0.1 }, "steps": { "train": { "epochs": "3" } } } }
                    """))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "grid.pipeline.lr must be a list of values, e.g. [0.1, 0.01]",
                        "grid.steps.train.epochs must be a list of values, e.g. [0.1, 0.01]"));
  }

  @Test
  void rejectsMissingFieldsAndPathsThatLeaveTheProject() {
    assertThatThrownBy(
            () -> JobRequestParser.parse("{\"project\": \"../etc\", \"pipeline\": \"../x.json\"}"))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(e.problems())
                    .contains(
                        "name is required and must be a non-empty string",
                        "project '../etc' is not a valid project name",
                        "pipeline '../x.json' must be a relative path inside the project"));
  }

  @Test
  void rejectsAnEmptyValueListAndANonPositiveParallelism() {
    assertThatThrownBy(
            () ->
                JobRequestParser.parse(
                    "{\"name\":\"x\",\"project\":\"p\",\"pipeline\":\"p.json\","
                        + "\"grid\":{\"pipeline\":{\"lr\":[]}},\"maxParallelRuns\":0}"))
        .isInstanceOfSatisfying(
            InvalidJobRequestException.class,
            e ->
                assertThat(e.problems())
                    .isEqualTo(
                        List.of(
                            "grid.pipeline.lr must list at least one value",
                            "maxParallelRuns must be a positive whole number")));
  }
}

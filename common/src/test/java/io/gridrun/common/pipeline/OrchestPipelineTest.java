package io.gridrun.common.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridrun.common.event.EventCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestPipelineTest {

  private static final String EXAMPLE =
      "../examples/projects/orchest-quickstart/quickstart.orchest";

  private static PipelineDefinition read(String json, String path) {
    return OrchestPipeline.read(EventCodec.mapper(), json, path, "quick");
  }

  @Test
  void theQuickstartReadsAsAPipelineWithUuidsAsIdsTitlesAndConnectionsAsDependencies()
      throws Exception {
    PipelineDefinition pipeline = read(Files.readString(Path.of(EXAMPLE)), "quickstart.orchest");

    assertThat(pipeline.problems()).isEmpty();
    assertThat(pipeline.name()).isEqualTo("quickstart");
    assertThat(pipeline.parameters()).containsEntry("data_size", 200);
    assertThat(pipeline.steps())
        .extracting(StepDefinition::title)
        .containsExactly("Get data", "Ridge regression", "Nearest neighbours", "Collect results");
    StepDefinition collect = pipeline.steps().get(3);
    assertThat(collect.id()).isEqualTo("b4d7f4b5-2a3b-4dbe-8f8a-3d4e5f6a7b04");
    assertThat(collect.file()).isEqualTo("collect-results.ipynb");
    // incoming connections in their order: get_inputs()["unnamed"] follows it
    assertThat(collect.dependsOn())
        .containsExactly(
            "7c2b5d2f-0e1f-4b9c-8d68-1b2c3d4e5f02", "9e3c6e3a-1f2a-4cad-9e79-2c3d4e5f6a03");
    StepDefinition ridge = pipeline.step("7c2b5d2f-0e1f-4b9c-8d68-1b2c3d4e5f02").orElseThrow();
    assertThat(ridge.parameters()).isEqualTo(Map.of("alpha", 1.0));
    assertThat(ridge.file()).isEqualTo("models/ridge.py");
    assertThat(ridge.environment()).isEqualTo("6b1ca3c2-6c2e-4f6a-8b8a-1d2c3e4f5a60");
    assertThat(pipeline.env())
        .containsEntry("ORCHEST_PIPELINE_UUID", "0d5e8a6b-3b4c-4e0f-9a9b-4e5f6a7b8c05")
        .containsEntry("ORCHEST_PIPELINE_PATH", "quickstart.orchest")
        .containsEntry("ORCHEST_PROJECT_UUID", "quick");
    assertThat(Dag.of(pipeline).cycle()).isEmpty();
  }

  @Test
  void filePathsAreRelativeToThePipelinesDirectory() {
    String json =
        """
        {"name": "p", "uuid": "u", "steps": {"s1": {"title": "One", "file_path": "../lib/a.py",
         "environment": "e", "incoming_connections": [], "whatever": {"x": 1}}}}
        """;
    PipelineDefinition pipeline = read(json, "pipelines/sub/p.orchest");
    assertThat(pipeline.steps().get(0).file()).isEqualTo("pipelines/lib/a.py");
    assertThat(pipeline.steps().get(0).id()).isEqualTo("s1");
    assertThat(pipeline.steps().get(0).dependsOn()).isEqualTo(List.of());
  }

  @Test
  void aMalformedFileIsRefusedNamingTheField() {
    assertThatThrownBy(() -> read("{\"name\": \"p\", \"uuid\": \"u\", \"steps\": []}", "p.orchest"))
        .isInstanceOf(OrchestPipeline.MalformedException.class)
        .hasMessage("field 'steps' must be an object of steps by uuid");
    assertThatThrownBy(
            () ->
                read(
                    "{\"name\": \"p\", \"uuid\": \"u\", \"steps\": {\"a\": {\"file_path\": \"x.py\","
                        + " \"environment\": \"e\", \"incoming_connections\": \"b\"}}}",
                    "p.orchest"))
        .hasMessage("field 'steps.a.incoming_connections' must be a list of step uuids");
    assertThatThrownBy(
            () ->
                read(
                    "{\"name\": \"p\", \"uuid\": \"u\", \"steps\": {\"a\": {\"environment\":"
                        + " \"e\"}}}",
                    "p.orchest"))
        .hasMessage("field 'steps.a.file_path' is missing");
    assertThatThrownBy(() -> read("{\"name\": 3, \"uuid\": \"u\", \"steps\": {}}", "p.orchest"))
        .hasMessage("field 'name' must be a string");
    assertThatThrownBy(
            () ->
                read("{\"name\": \"p\", \"uuid\": \"u\", \"parameters\": [1], \"steps\": {}}", "p"))
        .hasMessage("field 'parameters' must be an object of parameters");
  }
}

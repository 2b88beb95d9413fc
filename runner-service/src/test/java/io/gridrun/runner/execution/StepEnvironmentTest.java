package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.runner.runtime.StepPaths;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepEnvironmentTest {

  private static final StepDefinition TRAIN =
      new StepDefinition("train", "train.sh", "py", List.of(), Map.of(), null);

  private static RunRequested run(
      Map<String, String> environmentEnv,
      Map<String, String> pipelineEnv,
      Map<String, String> jobEnv,
      RunParameters parameters) {
    return new RunRequested(
        "e-1",
        "j-1",
        "j-1-r0000042",
        Instant.EPOCH,
        42,
        0,
        1,
        "s-j-1",
        "m",
        new PipelineDefinition("p", Map.of(), pipelineEnv, List.of(TRAIN)),
        Map.of("py", new PinnedEnvironment("py", "img", "sha256:1", environmentEnv)),
        parameters,
        jobEnv);
  }

  private static final RunParameters NO_PARAMETERS = new RunParameters(Map.of(), Map.of());

  @Test
  void namesParameterVariablesUpperCasedWithOtherCharactersAsUnderscores() {
    assertThat(StepEnvironment.parameterVariable("lr")).isEqualTo("GRIDRUN_PARAM_LR");
    assertThat(StepEnvironment.parameterVariable("learning-rate.v2"))
        .isEqualTo("GRIDRUN_PARAM_LEARNING_RATE_V2");
    assertThat(StepEnvironment.parameterVariable("batch size"))
        .isEqualTo("GRIDRUN_PARAM_BATCH_SIZE");
  }

  @Test
  void environmentLosesToPipelineWhichLosesToJob() {
    Map<String, String> env =
        StepEnvironment.of(
            run(
                Map.of("A", "environment", "B", "environment", "C", "environment"),
                Map.of("B", "pipeline", "C", "pipeline"),
                Map.of("C", "job"),
                NO_PARAMETERS),
            TRAIN,
            StepPaths.CONTAINER);

    assertThat(env)
        .containsEntry("A", "environment")
        .containsEntry("B", "pipeline")
        .containsEntry("C", "job");
  }

  @Test
  void gridrunVariablesComeLastSoUsersCannotOverrideThem() {
    Map<String, String> env =
        StepEnvironment.of(
            run(
                Map.of("GRIDRUN_DATA", "/elsewhere"),
                Map.of("GRIDRUN_RUN_ID", "fake"),
                Map.of("GRIDRUN_PARAM_LR", "9", "GRIDRUN_STEP_ID", "other"),
                new RunParameters(Map.of("lr", 0.1), Map.of())),
            TRAIN,
            StepPaths.CONTAINER);

    assertThat(env)
        .containsEntry("GRIDRUN_JOB_ID", "j-1")
        .containsEntry("GRIDRUN_RUN_ID", "j-1-r0000042")
        .containsEntry("GRIDRUN_RUN_INDEX", "42")
        .containsEntry("GRIDRUN_STEP_ID", "train")
        .containsEntry("GRIDRUN_PARAM_LR", "0.1")
        .containsEntry("GRIDRUN_DATA", "/data")
        .containsEntry("GRIDRUN_PARAMS_FILE", "/gridrun/params.json")
        .containsEntry("GRIDRUN_METRICS_FILE", "/gridrun/metrics.json");
  }

  @Test
  void stepParametersWinOverPipelineParametersAndNonStringsAreJsonText() {
    Map<String, Object> pipeline = new LinkedHashMap<>();
    pipeline.put("lr", 0.1);
    pipeline.put("epochs", 1);
    pipeline.put("name", "plain text");
    pipeline.put("layers", List.of(64, 32));
    pipeline.put("opts", Map.of("fast", true));
    pipeline.put("shuffle", false);
    Map<String, String> env =
        StepEnvironment.of(
            run(
                Map.of(),
                Map.of(),
                Map.of(),
                new RunParameters(pipeline, Map.of("train", Map.of("epochs", 5)))),
            TRAIN,
            StepPaths.CONTAINER);

    assertThat(env)
        .containsEntry("GRIDRUN_PARAM_LR", "0.1")
        .containsEntry("GRIDRUN_PARAM_EPOCHS", "5")
        .containsEntry("GRIDRUN_PARAM_NAME", "plain text")
        .containsEntry("GRIDRUN_PARAM_LAYERS", "[64,32]")
        .containsEntry("GRIDRUN_PARAM_OPTS", "{\"fast\":true}")
        .containsEntry("GRIDRUN_PARAM_SHUFFLE", "false");
  }

  @Test
  void hostPathsForLocalProcesses() {
    Map<String, String> env =
        StepEnvironment.of(
            run(Map.of(), Map.of(), Map.of(), NO_PARAMETERS),
            TRAIN,
            new StepPaths("/w/project", "/srv/data", "/w/g/params.json", "/w/g/metrics.json"));

    assertThat(env)
        .containsEntry("GRIDRUN_DATA", "/srv/data")
        .containsEntry("GRIDRUN_PARAMS_FILE", "/w/g/params.json")
        .containsEntry("GRIDRUN_METRICS_FILE", "/w/g/metrics.json");
  }

  @Test
  void paramsJsonHasTheRunsValuesInTheContractShape() {
    String json =
        StepEnvironment.paramsJson(
            run(
                Map.of(),
                Map.of(),
                Map.of(),
                new RunParameters(
                    Map.of("lr", 0.01),
                    Map.of("train", Map.of("epochs", 3), "other", Map.of("x", 1)))),
            TRAIN);

    assertThat(json)
        .isEqualTo(
            "{\"job\":\"j-1\",\"run\":\"j-1-r0000042\",\"index\":42,\"step\":\"train\","
                + "\"pipeline\":{\"lr\":0.01},\"step_parameters\":{\"epochs\":3}}");
  }
}

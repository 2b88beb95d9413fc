package io.gridrun.runner.execution;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.runner.runtime.StepPaths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepHelpersTest {

  private static List<String> command(String file, List<String> command) {
    return StepHelpers.command(
        new StepDefinition("s", file, "e", List.of(), null, command), StepPaths.CONTAINER);
  }

  @Test
  void theInterpreterFollowsTheFilesExtensionUnlessACommandIsGiven() {
    assertThat(command("train.py", null)).containsExactly("python3", "train.py");
    assertThat(command("prep.sh", null)).containsExactly("sh", "prep.sh");
    assertThat(command("fit.R", null)).containsExactly("Rscript", "fit.R");
    assertThat(command("fit.jl", null)).containsExactly("julia", "fit.jl");
    assertThat(command("report.ipynb", null))
        .containsExactly("python3", "/gridrun/lib/gridrun_notebook.py", "report.ipynb");
    assertThat(command("run", null)).containsExactly("sh", "run");
    assertThat(command("train.py", List.of("python3", "-u", "train.py")))
        .containsExactly("python3", "-u", "train.py");
  }

  @Test
  void stepsGetTheHelperOnPythonpathTheirOutputsAndAWritableHomeInContainers() {
    Map<String, String> env =
        StepHelpers.environment(
            Map.of("PYTHONPATH", "/project/src", "MPLCONFIGDIR", "/tmp/mine"),
            StepPaths.CONTAINER,
            true);
    assertThat(env)
        .containsEntry("PYTHONPATH", "/gridrun/lib:/project/src")
        .containsEntry("GRIDRUN_OUTPUTS", "/gridrun/outputs")
        .containsEntry("HOME", "/tmp")
        .containsEntry("MPLCONFIGDIR", "/tmp/mine")
        .containsEntry("JUPYTER_RUNTIME_DIR", "/tmp/jupyter/runtime")
        .containsEntry("IPYTHONDIR", "/tmp/ipython");
    StepPaths host = new StepPaths("/w/p", "/w/d", "/w/g/s/params.json", "/w/g/s/metrics.json");
    assertThat(StepHelpers.environment(Map.of(), host, false))
        .containsEntry("PYTHONPATH", "/w/g/s/lib")
        .containsEntry("GRIDRUN_OUTPUTS", "/w/g/s/outputs")
        .doesNotContainKey("HOME");
  }
}

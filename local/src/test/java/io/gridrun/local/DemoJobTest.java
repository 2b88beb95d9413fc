package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ./gridrun demo} runs: the example job on the example project, to SUCCESS. */
class DemoJobTest {

  @TempDir Path home;

  @Test
  void theExampleGridJobRunsToSuccessAndSaysWhereToLook() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    boolean succeeded;
    try (LocalStack stack =
            LocalStack.start(
                new StackSettings(
                    home, home.resolve("projects"), home.resolve("data"), 0, 0, false, true));
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
      succeeded = new DemoJob(stack, Path.of("..", "examples"), out).run();
    }

    String output = printed.toString(StandardCharsets.UTF_8);
    assertThat(succeeded).as(output).isTrue();
    assertThat(output).contains("Submitted job j-").contains("ended SUCCESS").contains("/runs");
  }
}

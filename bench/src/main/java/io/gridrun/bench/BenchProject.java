package io.gridrun.bench;

import io.gridrun.local.GridrunClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project the orchestration and runner benchmarks run: a pipeline of two steps that do nothing
 * (`true`), and one of a single such step.
 */
final class BenchProject {

  static final String NAME = "bench";
  static final String PIPELINE = "noop.pipeline.json";

  /** One step that does nothing (`true`). */
  static final String SINGLE_STEP = "single.pipeline.json";

  private BenchProject() {}

  static void create(Path projectsRoot, GridrunClient api)
      throws IOException, InterruptedException {
    Path dir = projectsRoot.resolve(NAME);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("noop.sh"), "true\n");
    Files.writeString(
        dir.resolve(PIPELINE),
        """
        { "name": "noop", "parameters": { "a": 0, "b": 0 },
          "steps": [
            { "id": "first", "file": "noop.sh", "environment": "bench", "command": ["true"] },
            { "id": "second", "file": "noop.sh", "environment": "bench", "command": ["true"],
              "dependsOn": ["first"] } ] }
        """);
    Files.writeString(
        dir.resolve(SINGLE_STEP),
        """
        { "name": "single", "parameters": { "a": 0, "b": 0 },
          "steps": [
            { "id": "only", "file": "noop.sh", "environment": "bench", "command": ["true"] } ] }
        """);
    GridrunClient.Answer env =
        api.put("/api/v1/environments/bench", "{\"image\": \"gridrun/busybox:test\"}");
    if (env.status() / 100 != 2) {
      throw new IOException("could not register the bench environment: " + env.body());
    }
  }

  /**
   * A job of the two-step pipeline with {@code runs} combinations: a × b, a of up to 100 values.
   */
  static String job(String name, long runs) {
    return job(name, runs, PIPELINE);
  }

  /** A job of {@code pipeline} with {@code runs} combinations: a × b, a of up to 100 values. */
  static String job(String name, long runs, String pipeline) {
    long a = Math.min(100, runs);
    long b = Math.max(1, runs / a);
    StringBuilder as = new StringBuilder();
    for (long i = 0; i < a; i++) {
      as.append(i == 0 ? "" : ",").append(i);
    }
    StringBuilder bs = new StringBuilder();
    for (long i = 0; i < b; i++) {
      bs.append(i == 0 ? "" : ",").append(i);
    }
    return "{\"name\":\""
        + name
        + "\",\"project\":\""
        + NAME
        + "\",\"pipeline\":\""
        + pipeline
        + "\",\"grid\":{\"pipeline\":{\"a\":["
        + as
        + "],\"b\":["
        + bs
        + "]}}}";
  }
}

package io.gridrun.runner;

import io.gridrun.common.environment.PinnedEnvironment;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import io.gridrun.storage.blob.BlobStore;
import io.gridrun.storage.manifest.ManifestEntry;
import io.gridrun.storage.manifest.Manifests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Snapshots in a blob store and run requests for them, as snapshot-service and job-service make.
 */
public final class TestRuns {

  public static final String IMAGE = "gridrun/busybox:test";

  private TestRuns() {}

  /** Stores the files (path → content) as a snapshot and returns its manifest's hash. */
  public static String snapshot(BlobStore store, Map<String, String> files) {
    try (Manifests.Writer writer = new Manifests.Writer()) {
      for (var file : files.entrySet()) {
        byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
        String hash = store.put(new ByteArrayInputStream(bytes)).hash();
        writer.add(ManifestEntry.file(file.getKey(), 0644, bytes.length, hash));
      }
      return writer.store(store).hash();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static StepDefinition step(String id, String... dependsOn) {
    return new StepDefinition(id, id + ".sh", "busybox", Arrays.asList(dependsOn), null, null);
  }

  public static PipelineDefinition pipeline(StepDefinition... steps) {
    return new PipelineDefinition("test", Map.of(), Map.of(), List.of(steps));
  }

  public static RunRequested run(String manifest, PipelineDefinition pipeline) {
    return run(
        "j-test-" + UUID.randomUUID().toString().substring(0, 8),
        manifest,
        pipeline,
        IMAGE,
        new RunParameters(Map.of(), Map.of()),
        Map.of());
  }

  public static RunRequested run(
      String jobId,
      String manifest,
      PipelineDefinition pipeline,
      String image,
      RunParameters parameters,
      Map<String, String> env) {
    return new RunRequested(
        UUID.randomUUID().toString(),
        jobId,
        jobId + "-r0000007",
        Instant.now(),
        7,
        0,
        1,
        "s-" + jobId,
        manifest,
        pipeline,
        Map.of("busybox", new PinnedEnvironment("busybox", image, null, Map.of("FROM_ENV", "e"))),
        parameters,
        env);
  }

  /** The same request as another attempt of the run, with the given lease timeout. */
  public static RunRequested attempt(RunRequested run, int attempt, java.time.Duration lease) {
    return new RunRequested(
        UUID.randomUUID().toString(),
        run.jobId(),
        run.runId(),
        run.at(),
        run.index(),
        run.batch(),
        attempt,
        run.snapshotId(),
        run.manifest(),
        run.pipeline(),
        run.environments(),
        run.parameters(),
        run.env(),
        lease);
  }

  /** A list of steps in pipeline order, for readable expectations. */
  public static List<String> ids(List<StepDefinition> steps) {
    List<String> ids = new ArrayList<>();
    steps.forEach(s -> ids.add(s.id()));
    return ids;
  }
}

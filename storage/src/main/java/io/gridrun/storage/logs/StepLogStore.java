package io.gridrun.storage.logs;

import io.gridrun.common.pipeline.ProjectPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.apache.commons.io.file.PathUtils;

/**
 * Step logs as files {@code <root>/<run id>/<step id>.log} on a directory shared by the runners
 * (writers) and the gateways (readers). A log file exists from the moment its step starts. Beside
 * it, {@code <step id>.times} holds when each line began (see {@link LineTimes}).
 */
public class StepLogStore {

  private final Path root;

  public StepLogStore(Path root) {
    this.root = root;
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create log store at " + root, e);
    }
  }

  /** Creates (or truncates) the step's log and opens it for appending. */
  public OutputStream create(String runId, String stepId) throws IOException {
    return fresh(pathOf(runId, stepId));
  }

  /** Creates (or truncates) the file of the step's line times and opens it for appending. */
  public OutputStream createTimes(String runId, String stepId) throws IOException {
    return fresh(timesOf(runId, stepId));
  }

  private static OutputStream fresh(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.newOutputStream(
        file,
        StandardOpenOption.CREATE,
        StandardOpenOption.TRUNCATE_EXISTING,
        StandardOpenOption.WRITE);
  }

  /** The step's log so far, or empty if the step has not started. */
  public Optional<InputStream> open(String runId, String stepId) throws IOException {
    Path file = pathOf(runId, stepId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return Optional.of(Files.newInputStream(file));
  }

  public boolean exists(String runId, String stepId) {
    return Files.exists(pathOf(runId, stepId));
  }

  /** Removes all logs of a run. */
  public void deleteRun(String runId) throws IOException {
    Path dir = root.resolve(checked(runId));
    if (Files.exists(dir)) {
      PathUtils.deleteDirectory(dir);
    }
  }

  /** Removes the logs of every run of a job (run ids are {@code <jobId>-r<seq>}). */
  public void deleteRunsOf(String jobId) throws IOException {
    String prefix = checked(jobId) + "-r";
    try (var runs = Files.list(root)) {
      for (Path run : runs.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        deleteRun(run.getFileName().toString());
      }
    }
  }

  public Path pathOf(String runId, String stepId) {
    return root.resolve(checked(runId)).resolve(checked(stepId) + ".log");
  }

  public Path timesOf(String runId, String stepId) {
    return root.resolve(checked(runId)).resolve(checked(stepId) + ".times");
  }

  private static String checked(String name) {
    if (!ProjectPaths.isSafeName(name)) {
      throw new IllegalArgumentException("not a valid run or step id: '" + name + "'");
    }
    return name;
  }
}

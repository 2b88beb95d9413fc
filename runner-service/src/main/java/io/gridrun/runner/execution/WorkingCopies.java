package io.gridrun.runner.execution;

import io.gridrun.common.event.WorkingCopiesReleased;
import io.gridrun.common.pipeline.ProjectPaths;
import io.gridrun.runner.config.RunnerProperties;
import io.gridrun.storage.logs.StepLogStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.FileSystemUtils;

/**
 * Deletes the working copies this runner holds (and, for a deleted job, the logs) of runs that are
 * no longer needed. Every runner hears every release; deleting what is not there is a no-op.
 */
@Component
public class WorkingCopies {

  private static final Logger log = LoggerFactory.getLogger(WorkingCopies.class);

  private final Path workDir;
  private final StepLogStore logs;
  private final io.gridrun.storage.artifact.ArtifactStore artifacts;

  private final io.gridrun.runner.storage.RunnerStorage storage;

  @org.springframework.beans.factory.annotation.Autowired
  public WorkingCopies(RunnerProperties runner, io.gridrun.runner.storage.RunnerStorage storage) {
    this.workDir = runner.workDir();
    this.logs = storage.logs();
    this.artifacts = storage.artifacts();
    this.storage = storage;
  }

  WorkingCopies(Path workDir, StepLogStore logs) {
    this(workDir, logs, null);
  }

  WorkingCopies(
      Path workDir, StepLogStore logs, io.gridrun.storage.artifact.ArtifactStore artifacts) {
    this.workDir = workDir;
    this.logs = logs;
    this.artifacts = artifacts;
    this.storage = null;
  }

  public void release(WorkingCopiesReleased event) {
    try {
      for (String runId : runsOf(event)) {
        Overlays.unmount(workDir.resolve(runId).resolve(RunProjects.PROJECT));
        FileSystemUtils.deleteRecursively(workDir.resolve(runId));
        if (artifacts != null) {
          // artifacts follow the run's retention (logs stay unless the job is deleted)
          artifacts.deleteRun(runId);
        }
        if (event.logsToo()) {
          if (storage != null) {
            storage.deleteLogs(runId); // the stored copies too, when logs are in a bucket
          } else {
            logs.deleteRun(runId);
          }
        }
      }
      if (artifacts != null && event.runIds() == null) {
        artifacts.deleteRunsOf(event.jobId());
      }
      if (event.logsToo() && event.runIds() == null) {
        if (storage != null) {
          storage.deleteLogsOfJob(event.jobId());
        } else {
          logs.deleteRunsOf(event.jobId());
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("Could not delete every working copy of job {}", event.jobId(), e);
    }
  }

  private List<String> runsOf(WorkingCopiesReleased event) throws IOException {
    List<String> named = event.runIds();
    if (named != null) {
      return named.stream().filter(ProjectPaths::isSafeName).toList();
    }
    if (!ProjectPaths.isSafeName(event.jobId()) || !Files.isDirectory(workDir)) {
      return List.of();
    }
    String prefix = event.jobId() + "-r";
    try (var runs = Files.list(workDir)) {
      return runs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
    }
  }
}

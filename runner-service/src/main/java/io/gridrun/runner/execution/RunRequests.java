package io.gridrun.runner.execution;

import io.gridrun.common.event.RunRequested;
import io.gridrun.common.pipeline.ProjectPaths;
import java.util.List;
import java.util.Optional;

/** Whether a run request can be executed at all; one that cannot is a poison message. */
public final class RunRequests {

  private RunRequests() {}

  /** Why the request cannot be executed, or empty when it can. */
  public static Optional<String> problem(RunRequested run) {
    if (!ProjectPaths.isSafeName(run.runId())) {
      // the run id names directories: it must never point outside the work and log roots
      return Optional.of("run id '" + run.runId() + "' is not a safe name");
    }
    if (run.manifest() == null || run.manifest().isBlank()) {
      return Optional.of("run " + run.runId() + " has no snapshot manifest");
    }
    if (run.pipeline() == null) {
      return Optional.of("run " + run.runId() + " has no pipeline");
    }
    List<String> problems = run.pipeline().problems();
    if (!problems.isEmpty()) {
      return Optional.of("run " + run.runId() + " has an invalid pipeline: " + problems);
    }
    return Optional.empty();
  }
}

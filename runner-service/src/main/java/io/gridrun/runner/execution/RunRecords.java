package io.gridrun.runner.execution;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.pipeline.StepDefinition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run's directory records for a runner that starts again on this host under the same id: the
 * request being executed ({@code request.json}) and the end of every step that ended ({@code
 * records/<step>.finished.json}, written before the end is published; no step sees either). With
 * them, and the step containers left running or exited, the next runner continues the attempt
 * instead of running any step again; and an attempt given up while cut off from the broker whose
 * every step had ended is reported from them once the broker is back ({@link #outcome}).
 */
public final class RunRecords {

  private static final Logger log = LoggerFactory.getLogger(RunRecords.class);

  private final Path workDir;

  public RunRecords(Path workDir) {
    this.workDir = workDir;
  }

  void request(RunRequested run) {
    write(workDir.resolve(run.runId()).resolve("request.json"), run);
  }

  /** The request being executed in the run's directory, if one is recorded there. */
  public Optional<RunRequested> request(String runId) {
    return read(workDir.resolve(runId).resolve("request.json"))
        .filter(RunRequested.class::isInstance)
        .map(RunRequested.class::cast);
  }

  void finished(StepFinished finished) {
    write(finishedFile(finished.runId(), finished.stepId()), finished);
  }

  /** How the step ended in the run's attempt recorded here, if it ended. */
  Optional<StepFinished> finished(RunRequested run, String stepId) {
    return read(finishedFile(run.runId(), stepId))
        .filter(StepFinished.class::isInstance)
        .map(StepFinished.class::cast)
        .filter(f -> f.attempt() == run.attempt());
  }

  /**
   * Every step's end in the run's attempt recorded here, in the order the steps ended (the
   * pipeline's order among ends at the same moment), if every step of the attempt ended; empty if
   * some step has not (it runs, or never started).
   */
  Optional<List<StepFinished>> outcome(RunRequested run) {
    List<StepFinished> ends = new ArrayList<>();
    for (StepDefinition step : run.pipeline().steps()) {
      Optional<StepFinished> end = finished(run, step.id());
      if (end.isEmpty()) {
        return Optional.empty();
      }
      ends.add(end.get());
    }
    ends.sort(
        Comparator.comparing((StepFinished e) -> e.finishedAt() != null ? e.finishedAt() : e.at()));
    return Optional.of(List.copyOf(ends));
  }

  private Path finishedFile(String runId, String stepId) {
    // outside every directory a step sees, so that no step can write its own outcome
    return workDir.resolve(runId).resolve("records").resolve(stepId + ".finished.json");
  }

  private static void write(Path file, GridrunEvent event) {
    try {
      Files.createDirectories(file.getParent());
      Path partial = file.resolveSibling(file.getFileName() + ".partial");
      Files.writeString(partial, EventCodec.encode(event), StandardCharsets.UTF_8);
      Files.move(
          partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      // only adoption by a later runner needs it: without it that runner runs the step again
      log.warn("Could not record {}: {}", file, e.toString());
    }
  }

  private static Optional<GridrunEvent> read(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(EventCodec.decode(Files.readString(file, StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      log.warn("Could not read {}: {}", file, e.toString());
      return Optional.empty();
    }
  }
}

package io.gridrun.runner.storage;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.RunRequested;
import io.gridrun.storage.logs.LiveLogRecord;
import io.gridrun.storage.logs.StepLogStore;
import io.gridrun.storage.object.ObjectStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs for services that share no disk: a running step's lines go to the {@code gridrun.logs} topic
 * (key = run id) as it writes them; when the step ends, its log and line times are stored in the
 * object store ({@code <runId>/<stepId>.log}, {@code .times}) and a marker on the topic says so;
 * when the run ends, a tombstone for the run lets compaction remove its lines.
 */
public final class LiveLogShipping implements LogShipping {

  private static final Logger log = LoggerFactory.getLogger(LiveLogShipping.class);

  private final StepLogStore local;
  private final ObjectStore archive;
  private final BiConsumer<String, String> topic;

  /**
   * @param local the runner's own log files, written first
   * @param archive where finished logs go
   * @param topic sends a value (null: a tombstone) under a run id to the {@code gridrun.logs}
   *     topic, without waiting
   */
  public LiveLogShipping(
      StepLogStore local, ObjectStore archive, BiConsumer<String, String> topic) {
    this.local = local;
    this.archive = archive;
    this.topic = topic;
  }

  @Override
  public OutputStream live(RunRequested run, String stepId, OutputStream file) {
    return new LiveLogStream(
        file,
        (offset, text) ->
            send(run, LiveLogRecord.lines(run.runId(), stepId, run.attempt(), offset, text)));
  }

  @Override
  public void stored(RunRequested run, String stepId) {
    try {
      var file = local.pathOf(run.runId(), stepId);
      var times = local.timesOf(run.runId(), stepId);
      if (Files.exists(times)) {
        archive.put(run.runId() + "/" + stepId + ".times", times);
      }
      archive.put(run.runId() + "/" + stepId + ".log", file);
      send(run, LiveLogRecord.storedMarker(run.runId(), stepId, run.attempt(), Files.size(file)));
    } catch (IOException | RuntimeException e) {
      log.warn("Run {}: the log of step {} could not be stored", run.runId(), stepId, e);
    }
  }

  @Override
  public void runEnded(RunRequested run) {
    try {
      topic.accept(run.runId(), null);
    } catch (RuntimeException e) {
      log.debug("Run {}: no tombstone for its live log lines", run.runId(), e);
    }
  }

  private void send(RunRequested run, LiveLogRecord record) {
    topic.accept(run.runId(), EventCodec.mapper().writeValueAsString(record));
  }
}

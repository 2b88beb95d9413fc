package io.gridrun.storage.logs;

/**
 * A piece of a running step's log on the {@code gridrun.logs} topic (key = run id): whole lines as
 * the step wrote them, or the marker that the step's log is complete and stored ({@code stored}
 * true, {@code text} empty). A run's records end with a tombstone (no value) once all its step logs
 * are stored, so compaction removes them.
 *
 * @param offset where {@code text} begins in the step's log, in bytes
 */
public record LiveLogRecord(
    String runId, String stepId, int attempt, long offset, String text, boolean stored) {

  public static LiveLogRecord lines(
      String runId, String stepId, int attempt, long offset, String text) {
    return new LiveLogRecord(runId, stepId, attempt, offset, text, false);
  }

  public static LiveLogRecord storedMarker(String runId, String stepId, int attempt, long size) {
    return new LiveLogRecord(runId, stepId, attempt, size, "", true);
  }
}

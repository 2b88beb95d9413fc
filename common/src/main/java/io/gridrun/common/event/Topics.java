package io.gridrun.common.event;

/**
 * Kafka topics and their keys. Keys never change: consumers rely on them for ordering.
 *
 * <ul>
 *   <li>{@link #JOBS}: job facts and commands ({@link JobCreated}, {@link JobControlRequested},
 *       {@link JobDeleted}); key = job id.
 *   <li>{@link #SNAPSHOTS}: {@link SnapshotCreated}, {@link SnapshotFailed}; key = job id.
 *   <li>{@link #RUNS}: {@link RunRequested}, the runner fleet's work queue; key = <b>run id</b>, so
 *       that a job's runs spread over all partitions and thus over all runners. It is the only
 *       topic not keyed by job id; ordering between runs does not matter.
 *   <li>{@link #EXECUTION}: {@link RunStarted}, {@link StepStarted}, {@link StepFinished}, {@link
 *       RunHeartbeat}, {@link RunAbandoned}, {@link RunRejected} from the runners, and
 *       job-service's {@link RunLeaseExpired}, ordered after them; key = job id, so that
 *       job-service sees a job's events in order.
 *   <li>{@link #STATUS}: {@link io.gridrun.common.status.StatusEvent}s, every state change of a
 *       job, run and step for outside consumers (dashboards, webhooks); key = job id.
 *   <li>{@link #CONTROL}: commands every runner must see ({@link RunCancelRequested}, {@link
 *       WorkingCopiesReleased}); key = job id; each runner reads it in a consumer group of its own.
 *   <li>{@link #LOGS}: the lines of running steps' logs, when services share no disk ({@code
 *       gridrun.storage.kind=s3}); key = run id; compacted: a run's lines go after its logs are
 *       stored in the object store (not an event topic: plain JSON records, see docs/events.md).
 * </ul>
 *
 * A message that cannot be handled goes to the topic's dead-letter topic, {@code <topic>-dlt}.
 */
public final class Topics {

  public static final String JOBS = "gridrun.jobs";
  public static final String SNAPSHOTS = "gridrun.snapshots";
  public static final String RUNS = "gridrun.runs";
  public static final String EXECUTION = "gridrun.execution";
  public static final String STATUS = "gridrun.status";
  public static final String CONTROL = "gridrun.control";
  public static final String LOGS = "gridrun.logs";

  public static final String DEAD_LETTER_SUFFIX = "-dlt";

  private Topics() {}

  public static String deadLetterOf(String topic) {
    return topic + DEAD_LETTER_SUFFIX;
  }
}

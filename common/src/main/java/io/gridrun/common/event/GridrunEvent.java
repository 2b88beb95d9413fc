package io.gridrun.common.event;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Every event gridrun sends over Kafka. The JSON carries a stable logical {@code type} (never a
 * class name); readers ignore fields they do not know, so fields may be added but never renamed.
 * {@link #eventId()} is unique per event and lets consumers drop redeliveries.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = JobCreated.class, name = JobCreated.TYPE),
  @JsonSubTypes.Type(value = SnapshotCreated.class, name = SnapshotCreated.TYPE),
  @JsonSubTypes.Type(value = SnapshotFailed.class, name = SnapshotFailed.TYPE),
  @JsonSubTypes.Type(value = RunRequested.class, name = RunRequested.TYPE),
  @JsonSubTypes.Type(value = RunStarted.class, name = RunStarted.TYPE),
  @JsonSubTypes.Type(value = StepStarted.class, name = StepStarted.TYPE),
  @JsonSubTypes.Type(value = StepFinished.class, name = StepFinished.TYPE),
  @JsonSubTypes.Type(value = JobControlRequested.class, name = JobControlRequested.TYPE),
  @JsonSubTypes.Type(value = RunCancelRequested.class, name = RunCancelRequested.TYPE),
  @JsonSubTypes.Type(value = JobDeleted.class, name = JobDeleted.TYPE),
  @JsonSubTypes.Type(value = WorkingCopiesReleased.class, name = WorkingCopiesReleased.TYPE),
  @JsonSubTypes.Type(value = RunHeartbeat.class, name = RunHeartbeat.TYPE),
  @JsonSubTypes.Type(value = RunAbandoned.class, name = RunAbandoned.TYPE),
  @JsonSubTypes.Type(value = RunRejected.class, name = RunRejected.TYPE),
  @JsonSubTypes.Type(value = RunLeaseExpired.class, name = RunLeaseExpired.TYPE),
})
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface GridrunEvent
    permits JobCreated,
        SnapshotCreated,
        SnapshotFailed,
        RunRequested,
        RunStarted,
        StepStarted,
        StepFinished,
        JobControlRequested,
        RunCancelRequested,
        JobDeleted,
        WorkingCopiesReleased,
        RunHeartbeat,
        RunAbandoned,
        RunRejected,
        RunLeaseExpired {

  String eventId();

  String jobId();

  Instant at();

  /** The topic this event is published to. */
  @JsonIgnore
  String topic();

  /** The Kafka record key; the job id unless the topic documents otherwise. */
  @JsonIgnore
  default String key() {
    return jobId();
  }
}

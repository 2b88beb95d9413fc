package io.gridrun.job.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.SnapshotCreated;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.event.Topics;
import io.gridrun.job.domain.JobEventHandler;
import io.gridrun.job.persistence.JobStore;
import io.gridrun.job.persistence.ParkedSnapshots;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * All job-keyed topics in one listener, so a job's events are handled in order by one thread. Takes
 * what a poll returns as a batch: each event is applied in order, and the status events they cause
 * are awaited once for the batch, before its offsets are committed, instead of once per event. An
 * event that fails stops the batch there: the events before it are committed, and it is retried (or
 * dead-lettered) with the rest after it, as a single record would be.
 */
@Component
class JobEventsListener {

  private final JobEventHandler handler;
  private final JobStore jobs;
  private final ParkedSnapshots parked;

  JobEventsListener(JobEventHandler handler, JobStore jobs, ParkedSnapshots parked) {
    this.handler = handler;
    this.jobs = jobs;
    this.parked = parked;
  }

  @KafkaListener(
      id = "job-events",
      topics = {Topics.JOBS, Topics.SNAPSHOTS, Topics.EXECUTION},
      groupId = "job-service",
      concurrency = "${gridrun.jobs.listener-concurrency:2}",
      batch = "true")
  void on(List<ConsumerRecord<String, String>> records) {
    for (int i = 0; i < records.size(); i++) {
      try {
        apply(records.get(i).value());
      } catch (RuntimeException e) {
        // what the events before it caused must be on the broker before they are committed
        flushStatus(0);
        throw new BatchListenerFailedException(e.getMessage(), e, i);
      }
    }
    flushStatus(0);
  }

  /**
   * Awaits the status events sent for this batch. If they cannot be sent, the batch is handled
   * again from {@code from} (its events are idempotent) instead of being committed without them.
   */
  private void flushStatus(int from) {
    try {
      handler.flushStatus();
    } catch (RuntimeException e) {
      throw new BatchListenerFailedException("status events could not be sent", e, from);
    }
  }

  private void apply(String json) {
    GridrunEvent event = EventCodec.decode(json);
    // Topics are ordered each on its own, not between each other: a snapshot event may come
    // before its job's creation. It waits for the job instead of failing over and over.
    if (isSnapshotEvent(event) && jobs.find(event.jobId()).isEmpty()) {
      parked.park(event.jobId(), json);
      return;
    }
    handler.apply(event);
    if (event instanceof JobCreated) {
      // removed only once applied: if applying fails, the redelivered job.created finds it again
      Optional<String> snapshot = parked.find(event.jobId());
      if (snapshot.isPresent()) {
        handler.apply(EventCodec.decode(snapshot.get()));
        parked.remove(event.jobId());
      }
    }
  }

  private static boolean isSnapshotEvent(GridrunEvent event) {
    return event instanceof SnapshotCreated || event instanceof SnapshotFailed;
  }
}

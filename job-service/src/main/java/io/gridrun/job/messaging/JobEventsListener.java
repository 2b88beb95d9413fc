package io.gridrun.job.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.job.application.JobEventRouter;
import java.util.List;
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

  private final JobEventRouter router;

  JobEventsListener(JobEventRouter router) {
    this.router = router;
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
      router.flushStatus();
    } catch (RuntimeException e) {
      throw new BatchListenerFailedException("status events could not be sent", e, from);
    }
  }

  private void apply(String json) {
    router.apply(EventCodec.decode(json));
  }
}

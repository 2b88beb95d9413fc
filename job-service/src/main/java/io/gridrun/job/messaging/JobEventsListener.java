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
 * what a poll returns as a batch: each event is applied in order, and the job rewrites and status
 * events they cause are saved and awaited once for the batch, before its offsets are committed,
 * instead of once per event. An event that fails stops the batch there: what the events before it
 * did is saved and they are committed, and it is retried (or dead-lettered) with the rest after it,
 * as a single record would be.
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
        // what the events before it caused must be saved and on the broker before they are
        // committed
        endBatch(0);
        throw new BatchListenerFailedException(e.getMessage(), e, i);
      }
    }
    endBatch(0);
  }

  /**
   * Saves the jobs and awaits the status events of this batch. If that fails, the batch is handled
   * again from {@code from} (its events are idempotent) instead of being committed without them.
   */
  private void endBatch(int from) {
    try {
      router.endBatch();
    } catch (RuntimeException e) {
      throw new BatchListenerFailedException(
          "the batch's job writes or status events failed", e, from);
    }
  }

  private void apply(String json) {
    router.apply(EventCodec.decode(json));
  }
}

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
    BatchListenerFailedException failed = null;
    try (JobEventRouter.Batch batch = router.openBatch()) {
      for (int i = 0; i < records.size() && failed == null; i++) {
        try {
          batch.apply(EventCodec.decode(records.get(i).value()));
        } catch (RuntimeException e) {
          // what the events before it caused is saved and on the broker (the batch closes) before
          // they are committed
          failed = new BatchListenerFailedException(e.getMessage(), e, i);
        }
      }
    } catch (RuntimeException e) {
      // the batch's job writes, dispatches or status events failed: the batch is handled again from
      // its start (its events are idempotent) instead of being committed without them
      throw new BatchListenerFailedException(
          "the batch's job writes or status events failed", e, 0);
    }
    if (failed != null) {
      throw failed;
    }
  }
}

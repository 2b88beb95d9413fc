package io.gridrun.job.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.job.application.EventBatch;
import io.gridrun.job.application.JobEventRouter;
import io.gridrun.job.config.JobServiceProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ConsumerSeekAware;
import org.springframework.stereotype.Component;

/**
 * All job-keyed topics in one listener, so a job's events are handled in order by one thread. Takes
 * what a poll returns as batches: each event is applied in order, and the job rewrites and status
 * events they cause are saved and awaited once per batch, before its offsets are committed, instead
 * of once per event. A batch is closed once it has been open {@code gridrun.jobs.batch-max-time},
 * and the poll's other events form the next one: a poll of slow events (a busy database) would
 * otherwise keep every job's counters, and the runs its ended runs make room for, waiting until the
 * whole poll is handled. An event that fails stops there: what the events before it did is saved
 * and they are committed, and it is retried (or dead-lettered) with the rest after it, as a single
 * record would be.
 */
@Component
class JobEventsListener implements ConsumerSeekAware {

  private final Supplier<? extends EventBatch> batches;
  private final Runnable partitionsMoved;
  private final Clock clock;
  private final Duration batchMaxTime;

  @Autowired
  JobEventsListener(JobEventRouter router, JobServiceProperties properties, Clock clock) {
    this(router::openBatch, router::partitionsMoved, clock, properties.batchMaxTime());
  }

  JobEventsListener(
      Supplier<? extends EventBatch> batches,
      Runnable partitionsMoved,
      Clock clock,
      Duration batchMaxTime) {
    this.batches = batches;
    this.partitionsMoved = partitionsMoved;
    this.clock = clock;
    this.batchMaxTime = batchMaxTime;
  }

  /**
   * Before the first record of a newly assigned partition: its jobs may have been changed by the
   * instance that had it, so nothing kept of them is used.
   */
  @Override
  public void onPartitionsAssigned(
      Map<TopicPartition, Long> assignments, ConsumerSeekCallback callback) {
    partitionsMoved.run();
  }

  /** Also when partitions are lost (their consumer left the group): the same reason. */
  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    partitionsMoved.run();
  }

  @KafkaListener(
      id = "job-events",
      topics = {Topics.JOBS, Topics.SNAPSHOTS, Topics.EXECUTION},
      groupId = "job-service",
      concurrency = "${gridrun.jobs.listener-concurrency:2}",
      batch = "true")
  void on(List<ConsumerRecord<String, String>> records) {
    int next = 0;
    while (next < records.size()) {
      next = handleBatch(records, next);
    }
  }

  /**
   * Applies the records from {@code first} on in one batch, until it has been open {@link
   * #batchMaxTime}; the index of the first record left for the next batch.
   */
  private int handleBatch(List<ConsumerRecord<String, String>> records, int first) {
    Instant closeAt = clock.instant().plus(batchMaxTime);
    BatchListenerFailedException failed = null;
    int next = first;
    try (EventBatch batch = batches.get()) {
      while (next < records.size() && failed == null) {
        try {
          batch.apply(EventCodec.decode(records.get(next).value()));
        } catch (RuntimeException e) {
          // what the events before it caused is saved and on the broker (the batch closes) before
          // they are committed
          failed = new BatchListenerFailedException(e.getMessage(), e, next);
        }
        next++;
        if (!clock.instant().isBefore(closeAt)) {
          break;
        }
      }
    } catch (RuntimeException e) {
      // the batch's job writes, dispatches or status events failed: it is handled again from its
      // first event (its events are idempotent) instead of being committed without them; the
      // batches before it are saved and committed
      throw new BatchListenerFailedException(
          "the batch's job writes or status events failed", e, first);
    }
    if (failed != null) {
      throw failed;
    }
    return next;
  }
}

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
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One listener for every job-keyed topic: with equal partition counts the range assignor gives a
 * consumer the same partition of each, so all events of a job are handled by one thread, in order.
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
      concurrency = "${gridrun.jobs.listener-concurrency:2}")
  void on(String json) {
    GridrunEvent event = EventCodec.decode(json);
    // Topics are ordered each on its own, not between each other: a snapshot event may come
    // before its job's creation. It waits for the job instead of failing over and over.
    if (isSnapshotEvent(event) && jobs.find(event.jobId()).isEmpty()) {
      parked.park(event.jobId(), json);
      return;
    }
    handler.handle(event);
    if (event instanceof JobCreated) {
      parked.take(event.jobId()).map(EventCodec::decode).ifPresent(handler::handle);
    }
  }

  private static boolean isSnapshotEvent(GridrunEvent event) {
    return event instanceof SnapshotCreated || event instanceof SnapshotFailed;
  }
}

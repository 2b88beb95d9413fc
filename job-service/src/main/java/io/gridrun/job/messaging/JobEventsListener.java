package io.gridrun.job.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.job.domain.JobEventHandler;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * One listener for every job-keyed topic: with equal partition counts the range assignor gives a
 * consumer the same partition of each, so all events of a job are handled by one thread, in order.
 */
@Component
class JobEventsListener {

  private final JobEventHandler handler;

  JobEventsListener(JobEventHandler handler) {
    this.handler = handler;
  }

  @KafkaListener(
      id = "job-events",
      topics = {Topics.JOBS, Topics.SNAPSHOTS, Topics.EXECUTION},
      groupId = "job-service",
      concurrency = "${gridrun.jobs.listener-concurrency:2}")
  void on(String json) {
    handler.handle(EventCodec.decode(json));
  }
}

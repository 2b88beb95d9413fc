package io.gridrun.runner.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.Topics;
import io.gridrun.common.event.UndecodableEventException;
import io.gridrun.runner.execution.RunRequests;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Takes run requests from the fleet's shared queue while this runner has free slots. One record per
 * poll; the run is handed to a slot and the listener returns at once, so the consumer never comes
 * near {@code max.poll.interval.ms}. When the last slot is taken the container is paused (the
 * backlog stays on Kafka, where other runners can take it) and resumed when a slot frees.
 */
@Component
class RunRequestListener {

  static final String ID = "run-requests";
  static final String GROUP = "runner-service";

  private static final Logger log = LoggerFactory.getLogger(RunRequestListener.class);

  private final RunSlots slots;
  private final KafkaListenerEndpointRegistry registry;
  private final RecentRuns recent = new RecentRuns(10_000);

  RunRequestListener(RunSlots slots, KafkaListenerEndpointRegistry registry) {
    this.slots = slots;
    this.registry = registry;
    slots.onSlotFreed(this::resumeIfFree);
  }

  @KafkaListener(
      id = ID,
      topics = Topics.RUNS,
      groupId = GROUP,
      properties = {"max.poll.records=1"})
  void on(String json) throws InterruptedException {
    GridrunEvent event = EventCodec.decode(json);
    if (!(event instanceof RunRequested run)) {
      return;
    }
    RunRequests.problem(run)
        .ifPresent(
            problem -> {
              // not retried: parked on the dead-letter topic with the reason
              throw new UndecodableEventException(problem);
            });
    if (!recent.firstTime(run.runId() + "#" + run.attempt())) {
      log.info("Run {} attempt {} was delivered again; ignored", run.runId(), run.attempt());
      return;
    }
    slots.submit(run);
    pauseIfFull();
  }

  // Both decisions are taken under one lock and re-read the slots, so a slot freed between
  // "is it full?" and "pause" can never leave the container paused with a free slot.
  private synchronized void pauseIfFull() {
    MessageListenerContainer container = container();
    if (container != null && slots.full()) {
      container.pause();
    }
  }

  private synchronized void resumeIfFree() {
    MessageListenerContainer container = container();
    if (container != null && !slots.full() && container.isPauseRequested()) {
      container.resume();
    }
  }

  private MessageListenerContainer container() {
    return registry.getListenerContainer(ID);
  }
}

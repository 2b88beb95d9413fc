package io.gridrun.runner.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.common.event.RunRejected;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.Topics;
import io.gridrun.common.event.UndecodableEventException;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.runner.execution.RecentKeys;
import io.gridrun.runner.execution.RunRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

/**
 * Takes run requests from the fleet's shared queue while this runner has free slots. One record per
 * poll; the run is handed to a slot and the listener returns once the slot has taken it for good
 * (its {@code run.started} is on the broker, see {@link RunSlots#submit}), so the consumer never
 * comes near {@code max.poll.interval.ms}, and a request is committed only when a runner killed
 * after the commit leaves job-service holding a lease that runs out (30 s) rather than a request
 * nobody has (its start deadline, 10 min). When the last slot is taken the container is paused (the
 * backlog stays on Kafka, where other runners can take it) and resumed when a slot frees.
 */
@Component
class RunRequestListener {

  static final String ID = "run-requests";
  static final String GROUP = "runner-service";

  private static final Logger log = LoggerFactory.getLogger(RunRequestListener.class);

  /**
   * How long the listener waits for a slot to take a run: far more than a publish takes, and more
   * than a slot waits for an earlier attempt of the run (two thirds of a lease), well under {@code
   * max.poll.interval.ms}.
   */
  static final Duration HAND_OVER_TIMEOUT = Duration.ofMinutes(2);

  private final RunSlots slots;
  private final KafkaListenerEndpointRegistry registry;
  private final EventPublisher publisher;
  private final RecentKeys recent = new RecentKeys(10_000);

  RunRequestListener(
      RunSlots slots, KafkaListenerEndpointRegistry registry, EventPublisher publisher) {
    this.slots = slots;
    this.registry = registry;
    this.publisher = publisher;
    slots.onSlotFreed(this::resumeIfFree);
  }

  @KafkaListener(
      id = ID,
      topics = Topics.RUNS,
      groupId = GROUP,
      properties = {"max.poll.records=1"})
  void on(String json) throws InterruptedException {
    GridrunEvent event;
    try {
      event = EventCodec.decode(json);
    } catch (UndecodableEventException e) {
      rejectUnreadable(json, e);
      throw e;
    }
    if (!(event instanceof RunRequested run)) {
      return;
    }
    Optional<String> problem = RunRequests.problem(run);
    if (problem.isPresent()) {
      reject(run, problem.get());
    }
    if (!recent.add(run.runId() + "#" + run.attempt())) {
      log.info("Run {} attempt {} was delivered again; ignored", run.runId(), run.attempt());
      return;
    }
    handOver(run);
    pauseIfFull();
  }

  /** Gives the run to a slot and waits until the slot has taken it (or will not execute it). */
  private void handOver(RunRequested run) throws InterruptedException {
    try {
      slots.submit(run).get(HAND_OVER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // committed anyway: job-service's start deadline requests it again if it never starts
      log.warn(
          "Run {} attempt {} not started within {}; its request is committed",
          run.runId(),
          run.attempt(),
          HAND_OVER_TIMEOUT);
    } catch (ExecutionException e) {
      // never: a slot completes the hand-over normally, whatever the run's fate
      log.warn("Run {} attempt {}: the hand-over failed", run.runId(), run.attempt(), e);
    }
  }

  /**
   * A request no runner can execute: job-service is told, so that the run fails with the reason
   * instead of being requested again, and the request is parked on the dead-letter topic (not
   * retried) so that it never blocks its partition.
   */
  private void reject(RunRequested run, String problem) {
    log.warn("Rejecting run {} attempt {}: {}", run.runId(), run.attempt(), problem);
    if (run.jobId() != null && run.runId() != null) {
      publisher.publishAndWait(
          new RunRejected(
              UUID.randomUUID().toString(),
              run.jobId(),
              run.runId(),
              Instant.now(),
              run.attempt(),
              problem));
    }
    throw new UndecodableEventException(problem);
  }

  /**
   * A request this runner could not read: when it still names its job and run, job-service is told
   * ({@code run.rejected}), so the run does not wait for a start that never comes; the request is
   * then parked on the dead-letter topic.
   */
  private void rejectUnreadable(String json, UndecodableEventException problem) {
    UnreadableRequest.of(json)
        .ifPresent(
            request -> {
              log.warn("Rejecting run {}: the request could not be read", request.runId());
              publisher.publishAndWait(
                  new RunRejected(
                      UUID.randomUUID().toString(),
                      request.jobId(),
                      request.runId(),
                      Instant.now(),
                      request.attempt(),
                      "the run request could not be read: " + problem.getMessage()));
            });
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

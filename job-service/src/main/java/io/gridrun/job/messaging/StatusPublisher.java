package io.gridrun.job.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import io.gridrun.common.status.StatusEvent;
import io.gridrun.job.domain.port.StatusEvents;
import io.gridrun.platform.messaging.EventPublisher;
import io.gridrun.platform.messaging.EventPublishingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Publishes every job, run and step state change on {@code gridrun.status}. Sends are collected and
 * awaited together by {@link #flush()}, before the triggering event counts as handled.
 */
public class StatusPublisher implements StatusEvents {

  private final EventPublisher publisher;

  /** Per handling thread: each thread waits only for what it sent. */
  private final ThreadLocal<List<CompletableFuture<Void>>> pending =
      ThreadLocal.withInitial(ArrayList::new);

  public StatusPublisher(EventPublisher publisher) {
    this.publisher = publisher;
  }

  @Override
  public void job(String jobId, String previous, String status, String reason, Instant at) {
    send(StatusEvent.JOB, jobId, null, null, null, new Change(previous, status, reason), at);
  }

  @Override
  public void run(
      String jobId,
      String runId,
      int batch,
      String previous,
      String status,
      String reason,
      Instant at) {
    send(StatusEvent.RUN, jobId, runId, null, batch, new Change(previous, status, reason), at);
  }

  @Override
  public void step(
      String jobId,
      String runId,
      String stepId,
      int batch,
      String previous,
      String status,
      String reason,
      Instant at) {
    send(StatusEvent.STEP, jobId, runId, stepId, batch, new Change(previous, status, reason), at);
  }

  private record Change(String previous, String status, String reason) {}

  private void send(
      String kind,
      String jobId,
      String runId,
      String stepId,
      Integer batch,
      Change change,
      Instant at) {
    send(
        new StatusEvent(
            kind,
            StatusEvent.VERSION,
            jobId,
            runId,
            stepId,
            batch,
            change.status(),
            change.previous(),
            at,
            change.reason(),
            UUID.randomUUID().toString()));
  }

  private void send(StatusEvent event) {
    pending
        .get()
        .add(
            publisher.publishJson(
                Topics.STATUS, event.jobId(), EventCodec.mapper().writeValueAsString(event)));
  }

  @Override
  public void flush() {
    List<CompletableFuture<Void>> sent = new ArrayList<>(pending.get());
    pending.get().clear();
    try {
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventPublishingException("interrupted while publishing status events", e);
    } catch (Exception e) {
      throw new EventPublishingException("could not publish status events", e);
    }
  }
}

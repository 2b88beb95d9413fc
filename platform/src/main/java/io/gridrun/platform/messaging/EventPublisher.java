package io.gridrun.platform.messaging;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Mono;

/** Publishes gridrun events to their topic under their documented key. */
public class EventPublisher {

  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaTemplate<String, String> template;

  public EventPublisher(KafkaTemplate<String, String> template) {
    this.template = template;
  }

  /** Sends asynchronously; the future completes when the broker acknowledged the event. */
  public CompletableFuture<Void> publish(GridrunEvent event) {
    return template
        .send(event.topic(), event.key(), EventCodec.encode(event))
        .thenApply(result -> null);
  }

  /**
   * Sends a plain JSON message that is not a {@link GridrunEvent} (the status topic's events),
   * keyed like every job-scoped message by its job id.
   */
  public CompletableFuture<Void> publishJson(String topic, String key, String json) {
    return template.send(topic, key, json).thenApply(result -> null);
  }

  /** Sends without blocking a reactive pipeline. */
  public Mono<Void> publishReactive(GridrunEvent event) {
    return Mono.fromFuture(() -> publish(event));
  }

  /**
   * Sends and waits for the broker's acknowledgement, for callers on their own threads (Kafka
   * listeners, workers) that must not move on before the event is durable.
   */
  public void publishAndWait(GridrunEvent event) {
    try {
      publish(event).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventPublishingException("interrupted while publishing " + describe(event), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new EventPublishingException("could not publish " + describe(event), e);
    }
  }

  private static String describe(GridrunEvent event) {
    return event.getClass().getSimpleName() + " of job " + event.jobId();
  }
}

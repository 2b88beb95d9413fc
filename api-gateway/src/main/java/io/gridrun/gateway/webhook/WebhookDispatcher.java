package io.gridrun.gateway.webhook;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Reads every status change (its own consumer group, from the latest events) and starts a delivery
 * for each webhook that wants it. It waits for the delivery records (at least once: a status event
 * whose records could not be written is read again), then the deliveries run on their own.
 */
@Component
class WebhookDispatcher {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

  private static final Duration RECORD_TIMEOUT = Duration.ofSeconds(60);

  private final WebhookStore store;
  private final WebhookDeliverer deliverer;

  WebhookDispatcher(WebhookStore store, WebhookDeliverer deliverer) {
    this.store = store;
    this.deliverer = deliverer;
  }

  @KafkaListener(id = "webhooks", topics = Topics.STATUS, groupId = "api-gateway-webhooks")
  void onStatus(String json) {
    Map<?, ?> event;
    try {
      event = EventCodec.mapper().readValue(json, Map.class);
    } catch (RuntimeException notJson) {
      log.warn("Ignoring a status message that is not JSON");
      return;
    }
    String name =
        EventNames.of(String.valueOf(event.get("type")), String.valueOf(event.get("status")));
    String eventId = String.valueOf(event.get("eventId"));
    // waits for the delivery records: the offset is committed only after they exist, and a
    // database outage holds the partition (the shared error handler retries it) until they do
    store
        .all()
        .filter(webhook -> webhook.wants(name))
        .concatMap(
            webhook ->
                store
                    .begin(webhook, eventId, name, json, Instant.now())
                    .doOnNext(delivery -> deliverer.deliver(webhook, delivery).subscribe()))
        .then()
        .block(RECORD_TIMEOUT);
  }

  /** Deliveries a previous gateway left pending (it stopped while retrying) go on from here. */
  @EventListener(ApplicationReadyEvent.class)
  void resumePending() {
    store
        .pending()
        .flatMap(
            delivery ->
                store
                    .find(delivery.webhookId())
                    .doOnNext(webhook -> deliverer.deliver(webhook, delivery).subscribe())
                    .switchIfEmpty(store.finish(delivery.id(), "FAILED").then(Mono.empty())))
        .count()
        .subscribe(
            resumed -> {
              if (resumed > 0) {
                log.info("Resumed {} pending webhook deliveries", resumed);
              }
            },
            e -> log.error("Could not resume pending webhook deliveries", e));
  }
}

package io.gridrun.gateway.webhook;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Reads every status change (its own consumer group, from the latest events) and starts a delivery
 * for each webhook that wants it. It only starts deliveries; they run on their own.
 */
@Component
class WebhookDispatcher {

  private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

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
    store
        .all()
        .filter(webhook -> webhook.wants(name))
        .flatMap(
            webhook ->
                store
                    .begin(webhook, eventId, name, Instant.now())
                    .filter(Boolean::booleanValue)
                    .doOnNext(isNew -> deliverer.deliver(webhook, eventId, name, json).subscribe()))
        .subscribe(null, e -> log.error("Could not start webhook deliveries for {}", eventId, e));
  }
}

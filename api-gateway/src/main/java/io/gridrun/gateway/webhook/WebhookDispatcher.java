package io.gridrun.gateway.webhook;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
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

  @KafkaListener(
      id = "webhooks",
      topics = Topics.STATUS,
      groupId = "api-gateway-webhooks",
      batch = "true")
  void onStatus(List<String> batch) {
    // waits for the delivery records of the whole poll: its offsets are committed only after they
    // exist, and a database outage holds the partitions (the shared error handler retries the
    // batch from its first record) until they do. Records are idempotent (one per webhook and
    // event). The messages are read only when some webhook exists: most installations have none,
    // and reading every status message was a few percent of a local stack's CPU while jobs ran
    try {
      store
          .all()
          .collectList()
          .flatMapMany(
              webhooks ->
                  webhooks.isEmpty()
                      ? Flux.<WebhookDelivery>empty()
                      : Flux.fromIterable(messages(batch))
                          .flatMap(
                              event ->
                                  Flux.fromIterable(webhooks)
                                      .filter(webhook -> webhook.wants(event.name()))
                                      .flatMap(webhook -> begin(webhook, event))))
          .then()
          .block(RECORD_TIMEOUT);
    } catch (RuntimeException e) {
      throw new BatchListenerFailedException("webhook deliveries could not be recorded", e, 0);
    }
  }

  private static List<StatusMessage> messages(List<String> batch) {
    List<StatusMessage> events = new ArrayList<>();
    for (String json : batch) {
      StatusMessage.of(json)
          .ifPresentOrElse(
              events::add, () -> log.warn("Ignoring a status message that is not JSON"));
    }
    return events;
  }

  private Mono<WebhookDelivery> begin(Webhook webhook, StatusMessage event) {
    return store
        .begin(webhook, event.eventId(), event.name(), event.json(), Instant.now())
        .doOnNext(delivery -> deliverer.deliver(webhook, delivery).subscribe());
  }

  /** A status message as far as webhooks look at it. */
  private record StatusMessage(String eventId, String name, String json) {
    static java.util.Optional<StatusMessage> of(String json) {
      Map<?, ?> event;
      try {
        event = EventCodec.mapper().readValue(json, Map.class);
      } catch (RuntimeException notJson) {
        return java.util.Optional.empty();
      }
      String name =
          EventNames.of(String.valueOf(event.get("type")), String.valueOf(event.get("status")));
      return java.util.Optional.of(
          new StatusMessage(String.valueOf(event.get("eventId")), name, json));
    }
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

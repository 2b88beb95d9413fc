package io.gridrun.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * Sends one event to one webhook: a signed JSON POST, retried with exponential backoff while the
 * receiver fails, for at most {@code retryFor}. Everything is non-blocking, so a receiver that
 * hangs or fails costs no thread and delays neither jobs nor other webhooks.
 */
@Component
class WebhookDeliverer {

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

  private final WebClient client;
  private final WebhookStore store;
  private final WebhookProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final MeterRegistry meters;

  WebhookDeliverer(
      WebClient serviceClient,
      WebhookStore store,
      WebhookProperties properties,
      MeterRegistry meters) {
    this.client = serviceClient;
    this.store = store;
    this.properties = properties;
    this.meters = meters;
  }

  private Mono<Void> finish(String deliveryId, String outcome) {
    meters
        .counter(
            "gridrun.webhook.deliveries", "outcome", outcome.toLowerCase(java.util.Locale.ROOT))
        .increment();
    return store.finish(deliveryId, outcome);
  }

  /** Delivers in the background; the returned Mono completes when the delivery ended. */
  Mono<Void> deliver(Webhook webhook, String eventId, String event, String json) {
    String deliveryId = webhook.id() + ":" + eventId;
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    Instant giveUpAt = clock.instant().plus(properties.retryFor());
    return attempt(webhook, deliveryId, body, 0, giveUpAt)
        .onErrorResume(
            e -> {
              log.warn(
                  "Delivery {} to {} failed for good: {}",
                  deliveryId,
                  webhook.url(),
                  e.getMessage());
              return finish(deliveryId, "FAILED");
            });
  }

  private Mono<Void> attempt(
      Webhook webhook, String deliveryId, byte[] body, int previous, Instant giveUpAt) {
    return client
        .post()
        .uri(webhook.url())
        .contentType(MediaType.APPLICATION_JSON)
        .header(WebhookSigner.HEADER, WebhookSigner.signature(webhook.secret(), body))
        .header("X-Gridrun-Delivery", deliveryId)
        .bodyValue(body)
        .exchangeToMono(
            response -> response.releaseBody().thenReturn(response.statusCode().value()))
        .timeout(properties.timeout())
        .map(
            status -> new Outcome(status, status / 100 == 2 ? null : "receiver answered " + status))
        .onErrorResume(e -> Mono.just(new Outcome(null, describe(e))))
        .flatMap(
            outcome ->
                store
                    .attempted(deliveryId, outcome.status(), outcome.error(), clock.instant())
                    .then(
                        outcome.error() == null
                            ? finish(deliveryId, "DELIVERED")
                            : retryOrGiveUp(webhook, deliveryId, body, previous + 1, giveUpAt)));
  }

  private Mono<Void> retryOrGiveUp(
      Webhook webhook, String deliveryId, byte[] body, int attempts, Instant giveUpAt) {
    Duration backoff =
        Duration.ofMillis(
            (long)
                (properties.initialBackoff().toMillis()
                    * Math.pow(properties.factor(), attempts - 1)));
    if (clock.instant().plus(backoff).isAfter(giveUpAt)) {
      return finish(deliveryId, "FAILED");
    }
    return Mono.delay(backoff)
        .then(Mono.defer(() -> attempt(webhook, deliveryId, body, attempts, giveUpAt)));
  }

  private static String describe(Throwable e) {
    if (e instanceof java.util.concurrent.TimeoutException) {
      return "no answer within the timeout";
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private record Outcome(Integer status, String error) {}
}

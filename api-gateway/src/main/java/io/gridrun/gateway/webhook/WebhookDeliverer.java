package io.gridrun.gateway.webhook;

import io.gridrun.gateway.outbound.RefusedAddressException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Sends one event to one webhook: a signed JSON POST, retried with exponential backoff ({@link
 * Retry#backoff}) while the receiver fails, until {@code retryFor} after the delivery began. The
 * delivery record keeps the body and the attempts, so a gateway that restarts resumes it. The
 * record shows the receiver's status code or the kind of failure, never the remote error text.
 * Everything is non-blocking, so a receiver that hangs or fails delays neither jobs nor others.
 */
@Component
class WebhookDeliverer {

  private static final Logger log = LoggerFactory.getLogger(WebhookDeliverer.class);

  private final WebhookClient client;
  private final WebhookStore store;
  private final WebhookProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final MeterRegistry meters;

  WebhookDeliverer(
      WebhookClient client,
      WebhookStore store,
      WebhookProperties properties,
      MeterRegistry meters) {
    this.client = client;
    this.store = store;
    this.properties = properties;
    this.meters = meters;
  }

  /** Delivers (or goes on delivering) in the background; completes when the delivery ended. */
  Mono<Void> deliver(Webhook webhook, WebhookDelivery delivery) {
    byte[] body = (delivery.body() == null ? "" : delivery.body()).getBytes(StandardCharsets.UTF_8);
    Instant giveUpAt = delivery.createdAt().plus(properties.retryFor());
    Duration firstBackoff = backoffAfter(delivery.attempts());
    long retries = retriesWithin(firstBackoff, Duration.between(clock.instant(), giveUpAt));
    return attempt(webhook, delivery.id(), body)
        .retryWhen(
            Retry.backoff(retries, firstBackoff)
                .jitter(0)
                .filter(e -> e instanceof AttemptFailed failed && failed.retriable)
                .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
        .then(Mono.defer(() -> finish(delivery.id(), "DELIVERED")))
        .onErrorResume(
            e -> {
              log.warn("Delivery {} to webhook {} failed for good", delivery.id(), webhook.id());
              return finish(delivery.id(), "FAILED");
            });
  }

  /** The wait before the next try once {@code attempts} tries failed. */
  private Duration backoffAfter(int attempts) {
    return properties.initialBackoff().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
  }

  /** How many retries, waiting first, then twice as long each time, fit into {@code remaining}. */
  static long retriesWithin(Duration first, Duration remaining) {
    long retries = 0;
    Duration waited = Duration.ZERO;
    Duration next = first;
    while (retries < 62 && waited.plus(next).compareTo(remaining) <= 0) {
      waited = waited.plus(next);
      next = next.multipliedBy(2);
      retries++;
    }
    return retries;
  }

  private Mono<Void> attempt(Webhook webhook, String deliveryId, byte[] body) {
    return Mono.defer(
        () -> {
          long timestamp = clock.instant().getEpochSecond();
          Map<String, String> headers =
              Map.of(
                  WebhookSigner.HEADER,
                  WebhookSigner.signature(webhook.secret(), timestamp, body),
                  WebhookSigner.TIMESTAMP_HEADER,
                  String.valueOf(timestamp),
                  "X-Gridrun-Delivery",
                  deliveryId);
          return client
              .post(URI.create(webhook.url()), headers, body, properties.timeout())
              .map(
                  status ->
                      new Outcome(
                          status, status / 100 == 2 ? null : "receiver answered " + status, true))
              .onErrorResume(e -> Mono.just(failure(e)))
              .flatMap(
                  outcome ->
                      store
                          .attempted(deliveryId, outcome.status(), outcome.error(), clock.instant())
                          .then(
                              outcome.error() == null
                                  ? Mono.<Void>empty()
                                  : Mono.error(new AttemptFailed(outcome.retriable()))));
        });
  }

  private Mono<Void> finish(String deliveryId, String outcome) {
    meters
        .counter("gridrun.webhook.deliveries", "outcome", outcome.toLowerCase(Locale.ROOT))
        .increment();
    return store.finish(deliveryId, outcome);
  }

  /** The kind of failure, in gridrun's words: the remote side's text is not recorded. */
  private static Outcome failure(Throwable e) {
    log.debug("Webhook attempt failed", e);
    if (e instanceof TimeoutException) {
      return new Outcome(null, "no answer within the timeout", true);
    }
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof RefusedAddressException refused) {
        return new Outcome(null, "address not allowed: " + refused.getMessage(), false);
      }
      if (t instanceof UnknownHostException) {
        return new Outcome(null, "the host could not be resolved", true);
      }
      if (t instanceof java.net.ConnectException) {
        return new Outcome(null, "could not connect (connection refused)", true);
      }
    }
    return new Outcome(null, "the request failed", true);
  }

  private record Outcome(Integer status, String error, boolean retriable) {}

  /** One failed attempt; {@code retriable} false for an address that is not allowed. */
  static final class AttemptFailed extends RuntimeException {
    final boolean retriable;

    AttemptFailed(boolean retriable) {
      super(null, null, false, false);
      this.retriable = retriable;
    }
  }
}

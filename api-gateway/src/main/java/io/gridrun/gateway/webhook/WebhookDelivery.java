package io.gridrun.gateway.webhook;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One event's delivery to one webhook, with its attempts.
 *
 * @param id {@code <webhook id>:<event id>}, so a redelivered event is not sent twice
 * @param outcome {@code PENDING} while attempts go on, then {@code DELIVERED} or {@code FAILED}
 * @param body the event as sent, kept so that a restarted gateway resumes pending deliveries
 */
@Document("webhook_deliveries")
public record WebhookDelivery(
    @Id String id,
    String webhookId,
    String eventId,
    String event,
    String outcome,
    int attempts,
    Integer statusCode,
    String lastError,
    Instant createdAt,
    Instant lastAttemptAt,
    String body) {

  /** What the API shows: everything but the body. */
  View view() {
    return new View(
        id,
        webhookId,
        eventId,
        event,
        outcome,
        attempts,
        statusCode,
        lastError,
        createdAt,
        lastAttemptAt);
  }

  /** A delivery as {@code GET /api/v1/webhooks/{id}/deliveries} shows it. */
  public record View(
      String id,
      String webhookId,
      String eventId,
      String event,
      String outcome,
      int attempts,
      Integer statusCode,
      String lastError,
      Instant createdAt,
      Instant lastAttemptAt) {}
}

package io.gridrun.gateway.webhook;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One event's delivery to one webhook, with its attempts.
 *
 * @param id {@code <webhook id>:<event id>}, so a redelivered event is not sent twice
 * @param outcome {@code PENDING} while attempts go on, then {@code DELIVERED} or {@code FAILED}
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
    Instant lastAttemptAt) {}

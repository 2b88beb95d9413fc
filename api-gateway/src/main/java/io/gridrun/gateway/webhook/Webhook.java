package io.gridrun.gateway.webhook;

import java.time.Instant;
import java.util.List;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/** A registered webhook. The secret signs deliveries and is never shown again. */
@Document("webhooks")
public record Webhook(
    @Id String id, String url, List<String> events, String secret, Instant createdAt) {

  public boolean wants(String eventName) {
    return events.contains(eventName) || events.contains("*");
  }
}

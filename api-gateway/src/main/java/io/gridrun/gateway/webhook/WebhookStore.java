package io.gridrun.gateway.webhook;

import java.time.Instant;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Webhooks and their deliveries in MongoDB, addressed by id. */
@Component
class WebhookStore {

  private final ReactiveMongoTemplate mongo;

  WebhookStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  Mono<Webhook> save(Webhook webhook) {
    return mongo.insert(webhook);
  }

  Mono<Webhook> find(String id) {
    return mongo.findById(id, Webhook.class);
  }

  Flux<Webhook> all() {
    return mongo.find(new Query().with(Sort.by("createdAt")), Webhook.class);
  }

  Mono<Long> count() {
    return mongo.count(new Query(), Webhook.class);
  }

  Flux<Webhook> page(int page, int size) {
    return mongo.find(
        new Query().with(Sort.by("createdAt")).skip((long) page * size).limit(size), Webhook.class);
  }

  Mono<Boolean> delete(String id) {
    return mongo
        .remove(Query.query(Criteria.where("_id").is(id)), Webhook.class)
        .map(result -> result.getDeletedCount() > 0);
  }

  /** Creates the delivery record unless this event was already taken for this webhook. */
  Mono<WebhookDelivery> begin(
      Webhook webhook, String eventId, String event, String body, Instant now) {
    WebhookDelivery delivery =
        new WebhookDelivery(
            webhook.id() + ":" + eventId,
            webhook.id(),
            eventId,
            event,
            "PENDING",
            0,
            null,
            null,
            now,
            null,
            body);
    return mongo
        .insert(delivery)
        .onErrorResume(org.springframework.dao.DuplicateKeyException.class, e -> Mono.empty());
  }

  Mono<WebhookDelivery> attempted(String deliveryId, Integer statusCode, String error, Instant at) {
    return mongo.findAndModify(
        Query.query(Criteria.where("_id").is(deliveryId)),
        new Update()
            .inc("attempts", 1)
            .set("statusCode", statusCode)
            .set("lastError", error)
            .set("lastAttemptAt", at),
        FindAndModifyOptions.options().returnNew(true),
        WebhookDelivery.class);
  }

  Mono<Void> finish(String deliveryId, String outcome) {
    return mongo
        .updateFirst(
            Query.query(Criteria.where("_id").is(deliveryId)),
            Update.update("outcome", outcome),
            WebhookDelivery.class)
        .then();
  }

  /** Deliveries still going on: after a restart, the gateway resumes them. */
  Flux<WebhookDelivery> pending() {
    return mongo.find(
        Query.query(Criteria.where("outcome").is("PENDING")).with(Sort.by("createdAt")),
        WebhookDelivery.class);
  }

  Flux<WebhookDelivery> deliveries(String webhookId, int page, int size) {
    return mongo.find(
        Query.query(Criteria.where("webhookId").is(webhookId))
            .with(Sort.by(Sort.Direction.DESC, "createdAt"))
            .skip((long) page * size)
            .limit(size),
        WebhookDelivery.class);
  }

  Mono<Long> deliveryCount(String webhookId) {
    return mongo.count(
        Query.query(Criteria.where("webhookId").is(webhookId)), WebhookDelivery.class);
  }
}

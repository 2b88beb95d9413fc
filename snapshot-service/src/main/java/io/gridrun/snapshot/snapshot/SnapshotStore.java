package io.gridrun.snapshot.snapshot;

import io.gridrun.platform.persistence.JsonDocuments;
import java.time.Duration;
import java.util.Optional;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Snapshots by id. */
@Component
public class SnapshotStore {

  private static final String COLLECTION = "snapshots";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ReactiveMongoTemplate mongo;

  public SnapshotStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public void insert(SnapshotRecord snapshot) {
    try {
      mongo.insert(JsonDocuments.toDocument(snapshot), COLLECTION).block(TIMEOUT);
    } catch (DuplicateKeyException taken) {
      // a redelivery took it already; the first one stays
    }
  }

  public Mono<SnapshotRecord> find(String id) {
    return mongo
        .findById(id, Document.class, COLLECTION)
        .map(d -> JsonDocuments.fromDocument(d, SnapshotRecord.class));
  }

  /** The manifest of every snapshot, for garbage collection. */
  public java.util.List<String> manifests() {
    return mongo
        .findAll(Document.class, COLLECTION)
        .map(d -> String.valueOf(d.get("manifest")))
        .collectList()
        .block(TIMEOUT);
  }

  public void delete(String id) {
    mongo
        .remove(
            org.springframework.data.mongodb.core.query.Query.query(
                org.springframework.data.mongodb.core.query.Criteria.where("_id").is(id)),
            COLLECTION)
        .block(TIMEOUT);
  }

  public Optional<SnapshotRecord> findNow(String id) {
    return Optional.ofNullable(find(id).block(TIMEOUT));
  }
}

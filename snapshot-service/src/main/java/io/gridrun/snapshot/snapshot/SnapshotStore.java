package io.gridrun.snapshot.snapshot;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import io.gridrun.platform.persistence.Blocking;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Snapshots by id, mapped by Spring Data: synchronous methods for the listener and the collection,
 * {@link #find} reactive for the controller.
 */
@Component
public class SnapshotStore {

  private static final String COLLECTION = "snapshots";

  private final ReactiveMongoTemplate mongo;

  public SnapshotStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public void insert(SnapshotRecord snapshot) {
    try {
      Blocking.await(mongo.insert(snapshot, COLLECTION));
    } catch (DuplicateKeyException taken) {
      // a redelivery took it already; the first one stays
    }
  }

  public Mono<SnapshotRecord> find(String id) {
    return mongo.findById(id, SnapshotRecord.class, COLLECTION);
  }

  public Optional<SnapshotRecord> findNow(String id) {
    return Optional.ofNullable(Blocking.await(find(id)));
  }

  /** The manifest of every snapshot, for garbage collection. */
  public List<String> manifests() {
    Query manifests = new Query();
    manifests.fields().include("manifest");
    return Blocking.await(
        mongo
            .find(manifests, Document.class, COLLECTION)
            .map(d -> String.valueOf(d.get("manifest")))
            .collectList());
  }

  public void delete(String id) {
    Blocking.await(mongo.remove(query(where("_id").is(id)), COLLECTION));
  }
}

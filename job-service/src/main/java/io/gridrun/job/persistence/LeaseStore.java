package io.gridrun.job.persistence;

import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.port.Leases;
import io.gridrun.platform.persistence.JsonDocuments;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Leases of in-flight runs, one document per run keyed by run id. The collection holds only runs in
 * flight (at most {@code gridrun.max-concurrent-runs}, and only started runs unless a start timeout
 * is set), so the checker's range query is a scan over a small collection on mongo-java-server and
 * an index lookup on MongoDB.
 */
@Component
public class LeaseStore implements Leases {

  static final String COLLECTION = "leases";
  private static final String EXPIRES_AT_MILLIS = "expiresAtMillis";

  private final ReactiveMongoTemplate mongo;

  public LeaseStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public Optional<RunLease> find(String runId) {
    return Optional.ofNullable(
        Blocking.await(mongo.findById(runId, Document.class, COLLECTION).map(LeaseStore::lease)));
  }

  @Override
  public void put(RunLease lease) {
    Document document = new Document("_id", lease.runId());
    document.put("jobId", lease.jobId());
    document.put("attempt", lease.attempt());
    document.put("expiresAt", lease.expiresAt().toString());
    document.put(EXPIRES_AT_MILLIS, lease.expiresAt().toEpochMilli());
    document.put("started", lease.started());
    document.put("runner", lease.runner());
    Blocking.await(JsonDocuments.replaceOrInsert(mongo.getCollection(COLLECTION), document));
  }

  @Override
  public void remove(String runId) {
    Blocking.await(mongo.remove(Query.query(Criteria.where("_id").is(runId)), COLLECTION));
  }

  @Override
  public List<RunLease> expired(Instant now, int limit) {
    return Blocking.await(
        mongo
            .find(
                Query.query(Criteria.where(EXPIRES_AT_MILLIS).lte(now.toEpochMilli()))
                    .with(Sort.by(EXPIRES_AT_MILLIS))
                    .limit(limit),
                Document.class,
                COLLECTION)
            .map(LeaseStore::lease)
            .collectList());
  }

  private static RunLease lease(Document d) {
    return new RunLease(
        d.getString("_id"),
        d.getString("jobId"),
        d.getInteger("attempt"),
        Instant.parse(d.getString("expiresAt")),
        Boolean.TRUE.equals(d.getBoolean("started")),
        d.getString("runner"));
  }

  /** On MongoDB, the checker's query uses this; mongo-java-server ignores it. */
  @jakarta.annotation.PostConstruct
  void ensureIndexes() {
    Blocking.await(
        mongo
            .indexOps(COLLECTION)
            .createIndex(new Index().on(EXPIRES_AT_MILLIS, Sort.Direction.ASC))
            .onErrorResume(e -> Mono.empty()));
  }
}

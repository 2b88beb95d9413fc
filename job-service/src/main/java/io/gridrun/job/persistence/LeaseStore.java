package io.gridrun.job.persistence;

import io.gridrun.job.domain.RunLease;
import io.gridrun.job.domain.port.Leases;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.BulkOperations;
import org.springframework.data.mongodb.core.FindAndReplaceOptions;
import org.springframework.data.mongodb.core.ReactiveBulkOperations;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Leases of in-flight runs, one document per run keyed by run id. The collection holds only runs in
 * flight (requested runs until they start, then started ones), so the checker's range query is a
 * scan over a small collection on mongo-java-server and an index lookup on MongoDB.
 */
@Component
public class LeaseStore implements Leases {

  static final String COLLECTION = "leases";
  private static final String EXPIRES_AT = "expiresAt";

  private final ReactiveMongoTemplate mongo;

  public LeaseStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public Optional<RunLease> find(String runId) {
    return Optional.ofNullable(Blocking.await(mongo.findById(runId, RunLease.class, COLLECTION)));
  }

  @Override
  public void put(RunLease lease) {
    Blocking.await(mongo.save(lease, COLLECTION));
  }

  /** One unordered bulk write of upserting replacements, whatever the number of leases. */
  @Override
  public void putAll(List<RunLease> leases) {
    if (leases.isEmpty()) {
      return;
    }
    ReactiveBulkOperations bulk =
        mongo.bulkOps(BulkOperations.BulkMode.UNORDERED, RunLease.class, COLLECTION);
    for (RunLease lease : leases) {
      bulk.replaceOne(
          Query.query(Criteria.where("_id").is(lease.runId())),
          lease,
          FindAndReplaceOptions.options().upsert());
    }
    Blocking.await(bulk.execute());
  }

  @Override
  public void remove(String runId) {
    Blocking.await(mongo.remove(Query.query(Criteria.where("_id").is(runId)), COLLECTION));
  }

  @Override
  public boolean anyRunnerBusy(Instant now) {
    return Boolean.TRUE.equals(
        Blocking.await(
            mongo.exists(
                Query.query(
                    Criteria.where("started")
                        .is(true)
                        .and(EXPIRES_AT)
                        .gt(java.util.Date.from(now))),
                COLLECTION)));
  }

  @Override
  public List<RunLease> expired(Instant now, int limit) {
    return Blocking.await(
        mongo
            .find(
                Query.query(Criteria.where(EXPIRES_AT).lte(java.util.Date.from(now)))
                    .with(Sort.by(EXPIRES_AT))
                    .limit(limit),
                RunLease.class,
                COLLECTION)
            .collectList());
  }

  /** On MongoDB, the checker's query uses this; mongo-java-server ignores it. */
  @jakarta.annotation.PostConstruct
  void ensureIndexes() {
    Blocking.await(
        mongo
            .indexOps(COLLECTION)
            .createIndex(new Index().on(EXPIRES_AT, Sort.Direction.ASC))
            .onErrorResume(e -> Mono.empty()));
  }
}

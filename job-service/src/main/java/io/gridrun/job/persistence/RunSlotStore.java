package io.gridrun.job.persistence;

import io.gridrun.job.domain.port.RunCapacity;
import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

/**
 * The fleet's run cap as {@code max} slot documents ({@code _id} 0..max-1), each free or held by
 * one run id. Taking a slot is one atomic find-and-modify on a free slot, so threads and instances
 * never share one; a run that holds a slot finds it again, and releasing frees exactly the run's
 * slot, so redeliveries neither leak nor double-count (a {@code $inc} counter would). The
 * collection has {@code max} documents, so the filters on {@code holder} scan a small collection.
 */
public class RunSlotStore implements RunCapacity {

  static final String COLLECTION = "run-slots";
  private static final String HOLDER = "holder";

  private final ReactiveMongoTemplate mongo;
  private final int max;

  public RunSlotStore(ReactiveMongoTemplate mongo, int max) {
    this.mongo = mongo;
    this.max = max;
    for (int slot = 0; slot < max; slot++) {
      Blocking.await(
          mongo.upsert(
              Query.query(Criteria.where("_id").is(slot)),
              new Update().setOnInsert(HOLDER, null),
              COLLECTION));
    }
  }

  @Override
  public boolean acquire(String runId) {
    if (Blocking.await(mongo.exists(holding(runId), COLLECTION))) {
      return true;
    }
    Document taken =
        Blocking.await(
            mongo.findAndModify(
                Query.query(Criteria.where(HOLDER).is(null).and("_id").lt(max)),
                new Update().set(HOLDER, runId),
                FindAndModifyOptions.options().returnNew(true),
                Document.class,
                COLLECTION));
    return taken != null;
  }

  @Override
  public void release(String runId) {
    Blocking.await(mongo.updateMulti(holding(runId), new Update().set(HOLDER, null), COLLECTION));
  }

  @Override
  public long free() {
    return Blocking.await(
        mongo.count(Query.query(Criteria.where(HOLDER).is(null).and("_id").lt(max)), COLLECTION));
  }

  private static Query holding(String runId) {
    return Query.query(Criteria.where(HOLDER).is(runId));
  }
}

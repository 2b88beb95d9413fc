package io.gridrun.job.persistence;

import io.gridrun.job.domain.port.WaitingJobs;
import java.time.Instant;
import java.util.List;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;

/**
 * Jobs whose next runs wait for the fleet's run cap, one document per job keyed by job id, with
 * since when: the dispatcher sweep wakes them, oldest first, when slots free up. Small: at most one
 * document per job.
 */
@Component
public class WaitingJobStore implements WaitingJobs {

  static final String COLLECTION = "jobs-waiting-for-capacity";

  private final ReactiveMongoTemplate mongo;

  public WaitingJobStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public void waiting(String jobId, Instant since, boolean keepPlace) {
    Update update =
        keepPlace
            ? new Update().setOnInsert("since", java.util.Date.from(since))
            : new Update().set("since", java.util.Date.from(since));
    Blocking.await(mongo.upsert(Query.query(Criteria.where("_id").is(jobId)), update, COLLECTION));
  }

  @Override
  public void notWaiting(String jobId) {
    Blocking.await(mongo.remove(Query.query(Criteria.where("_id").is(jobId)), COLLECTION));
  }

  @Override
  public List<String> oldestFirst(int limit) {
    return Blocking.await(
        mongo
            .find(
                new Query().with(Sort.by("since", "_id")).limit(limit), Document.class, COLLECTION)
            .map(d -> d.getString("_id"))
            .collectList());
  }
}

package io.gridrun.job.persistence;

import java.time.Duration;
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
public class WaitingJobStore {

  static final String COLLECTION = "jobs-waiting-for-capacity";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ReactiveMongoTemplate mongo;

  public WaitingJobStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /**
   * Records that the job waits. With {@code keepPlace} a job that waited already keeps its place;
   * without, it goes to the back of the queue (it just had its turn).
   */
  public void waiting(String jobId, Instant since, boolean keepPlace) {
    Update update =
        keepPlace
            ? new Update().setOnInsert("since", since.toEpochMilli())
            : new Update().set("since", since.toEpochMilli());
    mongo.upsert(Query.query(Criteria.where("_id").is(jobId)), update, COLLECTION).block(TIMEOUT);
  }

  /** The job that has waited longest, if any. */
  public java.util.Optional<String> first() {
    return oldestFirst(1).stream().findFirst();
  }

  public void notWaiting(String jobId) {
    mongo.remove(Query.query(Criteria.where("_id").is(jobId)), COLLECTION).block(TIMEOUT);
  }

  /** The waiting jobs, longest waiting first. */
  public List<String> oldestFirst(int limit) {
    return mongo
        .find(new Query().with(Sort.by("since", "_id")).limit(limit), Document.class, COLLECTION)
        .map(d -> d.getString("_id"))
        .collectList()
        .block(TIMEOUT);
  }
}

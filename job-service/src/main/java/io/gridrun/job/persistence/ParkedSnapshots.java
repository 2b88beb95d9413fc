package io.gridrun.job.persistence;

import io.gridrun.platform.persistence.JsonDocuments;
import java.time.Duration;
import java.util.Optional;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Snapshot events that arrived before their job's {@code job.created}, one per job id. The two come
 * from different topics, and a consumer that fetches both after a rebalance or a restart may see
 * them in either order.
 */
@Component
public class ParkedSnapshots {

  private static final String COLLECTION = "parked-snapshot-events";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ReactiveMongoTemplate mongo;

  public ParkedSnapshots(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public void park(String jobId, String eventJson) {
    JsonDocuments.replaceOrInsert(
            mongo.getCollection(COLLECTION), new Document("_id", jobId).append("event", eventJson))
        .block(TIMEOUT);
  }

  /** The parked event of the job, if any; it stays parked until {@link #remove}d. */
  public Optional<String> find(String jobId) {
    Document parked = mongo.findById(jobId, Document.class, COLLECTION).block(TIMEOUT);
    return parked == null ? Optional.empty() : Optional.of(parked.getString("event"));
  }

  /** Forgets the job's parked event, once it was applied. */
  public void remove(String jobId) {
    mongo.remove(Query.query(Criteria.where("_id").is(jobId)), COLLECTION).block(TIMEOUT);
  }
}

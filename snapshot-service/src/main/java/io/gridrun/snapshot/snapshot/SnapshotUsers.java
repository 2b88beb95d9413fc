package io.gridrun.snapshot.snapshot;

import io.gridrun.platform.persistence.JsonDocuments;
import java.time.Duration;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/**
 * Which job runs on which snapshot, one document per job ({@code _id} = job id), so that a snapshot
 * is deleted only once the last job using it was deleted.
 */
@Component
public class SnapshotUsers {

  private static final String COLLECTION = "snapshot-users";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ReactiveMongoTemplate mongo;

  public SnapshotUsers(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** Records that {@code jobId} uses {@code snapshotId}; repeating it changes nothing. */
  public void use(String jobId, String snapshotId) {
    JsonDocuments.replaceOrInsert(
            mongo.getCollection(COLLECTION),
            new Document("_id", jobId).append("snapshotId", snapshotId))
        .block(TIMEOUT);
  }

  public void release(String jobId) {
    mongo.remove(Query.query(Criteria.where("_id").is(jobId)), COLLECTION).block(TIMEOUT);
  }

  /** How many jobs use the snapshot: a scan over one small document per job. */
  public long users(String snapshotId) {
    Long count =
        mongo
            .count(Query.query(Criteria.where("snapshotId").is(snapshotId)), COLLECTION)
            .block(TIMEOUT);
    return count == null ? 0 : count;
  }
}

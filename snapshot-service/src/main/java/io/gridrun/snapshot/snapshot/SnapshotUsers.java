package io.gridrun.snapshot.snapshot;

import static org.springframework.data.mongodb.core.query.Criteria.where;
import static org.springframework.data.mongodb.core.query.Query.query;

import io.gridrun.platform.persistence.Blocking;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.mapping.FieldType;
import org.springframework.data.mongodb.core.mapping.MongoId;
import org.springframework.stereotype.Component;

/**
 * Which job runs on which snapshot, one document per job ({@code _id} = job id), so that a snapshot
 * is deleted only once the last job using it was deleted.
 */
@Component
public class SnapshotUsers {

  private static final String COLLECTION = "snapshot-users";

  /** One job's use of a snapshot. */
  record SnapshotUse(@MongoId(FieldType.STRING) String id, String snapshotId) {}

  private final ReactiveMongoTemplate mongo;

  public SnapshotUsers(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** Records that {@code jobId} uses {@code snapshotId}; repeating it changes nothing. */
  public void use(String jobId, String snapshotId) {
    Blocking.await(mongo.save(new SnapshotUse(jobId, snapshotId), COLLECTION));
  }

  public void release(String jobId) {
    Blocking.await(mongo.remove(query(where("_id").is(jobId)), COLLECTION));
  }

  /** How many jobs use the snapshot: a scan over one small document per job. */
  public long users(String snapshotId) {
    Long count = Blocking.await(mongo.count(query(where("snapshotId").is(snapshotId)), COLLECTION));
    return count == null ? 0 : count;
  }
}

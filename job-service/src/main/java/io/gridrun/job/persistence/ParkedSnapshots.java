package io.gridrun.job.persistence;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.job.domain.port.ParkedEvents;
import io.gridrun.platform.persistence.JsonDocuments;
import java.util.Optional;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;

/** Parked snapshot events, one document per job id holding the event as it came (JSON). */
@Component
public class ParkedSnapshots implements ParkedEvents {

  private static final String COLLECTION = "parked-snapshot-events";

  private final ReactiveMongoTemplate mongo;

  public ParkedSnapshots(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public void park(String jobId, GridrunEvent event) {
    Blocking.await(
        JsonDocuments.replaceOrInsert(
            mongo.getCollection(COLLECTION),
            new Document("_id", jobId).append("event", EventCodec.encode(event))));
  }

  @Override
  public Optional<GridrunEvent> find(String jobId) {
    Document parked = Blocking.await(mongo.findById(jobId, Document.class, COLLECTION));
    return parked == null
        ? Optional.empty()
        : Optional.of(EventCodec.decode(parked.getString("event")));
  }

  @Override
  public void remove(String jobId) {
    Blocking.await(mongo.remove(Query.query(Criteria.where("_id").is(jobId)), COLLECTION));
  }
}

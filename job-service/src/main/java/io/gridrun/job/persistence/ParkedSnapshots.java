package io.gridrun.job.persistence;

import io.gridrun.common.event.EventCodec;
import io.gridrun.common.event.GridrunEvent;
import io.gridrun.job.domain.port.ParkedEvents;
import java.util.Optional;
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
    Blocking.await(mongo.save(new Parked(jobId, EventCodec.encode(event)), COLLECTION));
  }

  @Override
  public Optional<GridrunEvent> find(String jobId) {
    Parked parked = Blocking.await(mongo.findById(jobId, Parked.class, COLLECTION));
    return Optional.ofNullable(parked).map(p -> EventCodec.decode(p.event()));
  }

  /** A parked event in its wire form (the events' JSON), under its job's id. */
  record Parked(String id, String event) {}

  @Override
  public void remove(String jobId) {
    Blocking.await(mongo.remove(Query.query(Criteria.where("_id").is(jobId)), COLLECTION));
  }
}

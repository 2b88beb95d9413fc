package io.gridrun.snapshot.environment;

import io.gridrun.platform.persistence.Blocking;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Environments by name, mapped by Spring Data: reactive queries for the controller, synchronous
 * ones ({@code …Now}, {@link #all}) for snapshots and builds on their own threads.
 */
@Component
public class EnvironmentStore {

  private static final String COLLECTION = "environments";

  private final ReactiveMongoTemplate mongo;

  public EnvironmentStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** Writes the environment under its name, replacing what is there. */
  public Mono<Environment> save(Environment environment) {
    return mongo.save(environment, COLLECTION);
  }

  public Mono<Environment> find(String name) {
    return mongo.findById(name, Environment.class, COLLECTION);
  }

  public Optional<Environment> findNow(String name) {
    return Optional.ofNullable(Blocking.await(find(name)));
  }

  public Mono<List<Environment>> page(int page, int size) {
    return mongo
        .find(
            new Query().with(Sort.by("_id")).skip((long) page * size).limit(size),
            Environment.class,
            COLLECTION)
        .collectList();
  }

  /** Every environment (a small collection). */
  public List<Environment> all() {
    List<Environment> all =
        Blocking.await(mongo.findAll(Environment.class, COLLECTION).collectList());
    return all == null ? List.of() : all;
  }

  public Mono<Long> count() {
    return mongo.count(new Query(), COLLECTION);
  }
}

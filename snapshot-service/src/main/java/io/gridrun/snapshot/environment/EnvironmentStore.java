package io.gridrun.snapshot.environment;

import io.gridrun.platform.persistence.JsonDocuments;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Environments by name. */
@Component
public class EnvironmentStore {

  private static final String COLLECTION = "environments";

  private final ReactiveMongoTemplate mongo;

  public EnvironmentStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public Mono<Environment> save(Environment environment) {
    Document document = JsonDocuments.toDocument(environment);
    return JsonDocuments.replaceOrInsert(mongo.getCollection(COLLECTION), document)
        .thenReturn(environment);
  }

  public Mono<Environment> find(String name) {
    return mongo
        .findById(name, Document.class, COLLECTION)
        .map(d -> JsonDocuments.fromDocument(d, Environment.class));
  }

  public Optional<Environment> findNow(String name) {
    return Optional.ofNullable(find(name).block(Duration.ofSeconds(30)));
  }

  public Mono<List<Environment>> page(int page, int size) {
    return mongo
        .find(
            new Query().with(Sort.by("_id")).skip((long) page * size).limit(size),
            Document.class,
            COLLECTION)
        .map(d -> JsonDocuments.fromDocument(d, Environment.class))
        .collectList();
  }

  /** Every environment (a small collection). */
  public List<Environment> all() {
    List<Environment> all =
        mongo
            .findAll(Document.class, COLLECTION)
            .map(d -> JsonDocuments.fromDocument(d, Environment.class))
            .collectList()
            .block(Duration.ofSeconds(30));
    return all == null ? List.of() : all;
  }

  public Mono<Long> count() {
    return mongo.count(new Query(), COLLECTION);
  }
}

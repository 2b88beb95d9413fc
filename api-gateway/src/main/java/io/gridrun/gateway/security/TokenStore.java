package io.gridrun.gateway.security;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** API tokens in the gateway's MongoDB (collection {@code tokens}), found by hash, id or name. */
@Component
class TokenStore {

  private final ReactiveMongoTemplate mongo;

  TokenStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  Mono<Void> createIndexes() {
    return mongo
        .indexOps(ApiToken.class)
        .createIndex(new Index("hash", Sort.Direction.ASC).unique())
        .then(
            mongo
                .indexOps(ApiToken.class)
                .createIndex(new Index("name", Sort.Direction.ASC).unique()))
        .then();
  }

  /** Inserts the token; empty when its name is taken. */
  Mono<ApiToken> insert(ApiToken token) {
    return mongo.insert(token).onErrorResume(DuplicateKeyException.class, taken -> Mono.empty());
  }

  Mono<ApiToken> byHash(String hash) {
    return mongo.findOne(Query.query(Criteria.where("hash").is(hash)), ApiToken.class);
  }

  Mono<ApiToken> byName(String name) {
    return mongo.findOne(Query.query(Criteria.where("name").is(name)), ApiToken.class);
  }

  Flux<ApiToken> all() {
    return mongo.find(new Query().with(Sort.by("createdAt")), ApiToken.class);
  }

  /** Removes the token with this id, or else with this name; true when one was removed. */
  Mono<Boolean> delete(String idOrName) {
    return remove(Criteria.where("_id").is(idOrName))
        .flatMap(
            removed -> removed ? Mono.just(true) : remove(Criteria.where("name").is(idOrName)));
  }

  private Mono<Boolean> remove(Criteria criteria) {
    return mongo
        .remove(Query.query(criteria), ApiToken.class)
        .map(result -> result.getDeletedCount() > 0);
  }
}

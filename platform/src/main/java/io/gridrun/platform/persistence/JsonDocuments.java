package io.gridrun.platform.persistence;

import io.gridrun.common.event.EventCodec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;

/**
 * Records to MongoDB documents and back through gridrun's JSON mapping, so that what is stored is
 * the same JSON the events and the API use ({@code id} becomes {@code _id}).
 */
public final class JsonDocuments {

  private JsonDocuments() {}

  @SuppressWarnings("unchecked")
  public static Document toDocument(Object record) {
    Map<String, Object> map =
        new LinkedHashMap<>(EventCodec.mapper().convertValue(record, Map.class));
    Object id = map.remove("id");
    Document document = new Document("_id", id);
    document.putAll(map);
    return document;
  }

  public static <T> T fromDocument(Document document, Class<T> type) {
    Map<String, Object> map = new LinkedHashMap<>(document);
    map.put("id", map.remove("_id"));
    return EventCodec.mapper().convertValue(map, type);
  }

  /**
   * Writes {@code document} under its {@code _id}, replacing what is there or inserting it: one
   * atomic single-document upsert, which MongoDB and mongo-java-server both support.
   */
  public static reactor.core.publisher.Mono<Void> replaceOrInsert(
      reactor.core.publisher.Mono<com.mongodb.reactivestreams.client.MongoCollection<Document>>
          collection,
      Document document) {
    return collection
        .flatMap(
            c ->
                reactor.core.publisher.Mono.from(
                    c.replaceOne(
                        new Document("_id", document.get("_id")),
                        document,
                        new com.mongodb.client.model.ReplaceOptions().upsert(true))))
        .then();
  }
}

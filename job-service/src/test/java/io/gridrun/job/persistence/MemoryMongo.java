package io.gridrun.job.persistence;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.SimpleReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;

/** A mongo-java-server in memory and a template on it, mapped as job-service maps its records. */
final class MemoryMongo implements AutoCloseable {

  private final MongoServer server = new MongoServer(new MemoryBackend());
  private final MongoClient client = MongoClients.create(server.bindAndGetConnectionString());
  private final ReactiveMongoTemplate template;

  MemoryMongo(String database, MappingMongoConverter converter) {
    this.template =
        new ReactiveMongoTemplate(
            new SimpleReactiveMongoDatabaseFactory(client, database), converter);
  }

  ReactiveMongoTemplate template() {
    return template;
  }

  @Override
  public void close() {
    client.close();
    server.shutdownNow();
  }
}

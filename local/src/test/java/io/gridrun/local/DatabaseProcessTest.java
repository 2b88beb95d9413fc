package io.gridrun.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import java.nio.file.Path;
import java.time.Duration;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * The local stack's database in its own process keeps every write it acknowledged across a kill -9
 * (mongo-java-server alone commits its file once a second: the writes of the last second were
 * lost), and comes back on the same address.
 */
class DatabaseProcessTest {

  @TempDir Path home;

  @Test
  void everyAcknowledgedWriteSurvivesAKillDashNine() throws Exception {
    DatabaseProcess database =
        DatabaseProcess.start(home.resolve("mongo.mv"), home.resolve("mongo.log"));
    try {
      String address = database.address();
      try (MongoClient client = MongoClients.create("mongodb://" + address)) {
        MongoCollection<Document> kept = client.getDatabase("test").getCollection("kept");
        for (int i = 0; i < 50; i++) {
          Mono.from(kept.insertOne(new Document("_id", i))).block(Duration.ofSeconds(30));
        }
        Mono.from(kept.deleteOne(new Document("_id", 0))).block(Duration.ofSeconds(30));
      }
      database.kill(); // at once after the last acknowledgement, no time to commit by itself
      assertThat(database.isAlive()).isFalse();
      database.restart();
      assertThat(database.address()).isEqualTo(address);
      try (MongoClient client = MongoClients.create("mongodb://" + address)) {
        MongoCollection<Document> kept = client.getDatabase("test").getCollection("kept");
        assertThat(Mono.from(kept.countDocuments()).block(Duration.ofSeconds(30))).isEqualTo(49);
      }
    } finally {
      database.close();
    }
  }
}

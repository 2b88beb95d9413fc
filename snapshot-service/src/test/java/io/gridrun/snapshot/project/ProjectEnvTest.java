package io.gridrun.snapshot.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gridrun.common.pipeline.PipelineDefinition;
import io.gridrun.common.pipeline.StepDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** A project's variables go below the pipeline's in the snapshotted definition. */
class ProjectEnvTest {

  private MongoServer mongo;
  private MongoClient client;
  private ProjectEnv env;

  @BeforeEach
  void start() {
    mongo = new MongoServer(new MemoryBackend());
    client = MongoClients.create(mongo.bindAndGetConnectionString());
    env = new ProjectEnv(new ReactiveMongoTemplate(client, "project-env"));
  }

  @AfterEach
  void stop() {
    client.close();
    mongo.shutdownNow();
  }

  private static PipelineDefinition pipeline(Map<String, String> own) {
    return new PipelineDefinition(
        "p", Map.of(), own, List.of(new StepDefinition("a", "a.sh", "e", null, null, null)));
  }

  @Test
  void theProjectsVariablesAreBelowThePipelinesAndReplacedAsAWhole() {
    assertThat(env.under("demo", pipeline(Map.of("MODE", "fast"))).env())
        .isEqualTo(Map.of("MODE", "fast"));

    env.replace("demo", Map.of("MODE", "project", "REGION", "eu", "OLD", "x")).block();
    env.replace("demo", Map.of("MODE", "project", "REGION", "eu")).block();
    assertThat(env.find("demo").block()).isEqualTo(Map.of("MODE", "project", "REGION", "eu"));

    PipelineDefinition applied = env.under("demo", pipeline(Map.of("MODE", "fast")));
    // the pipeline's own value wins; the project's others are added
    assertThat(applied.env()).isEqualTo(Map.of("MODE", "fast", "REGION", "eu"));
    assertThat(applied.steps()).hasSize(1);
    assertThat(env.under("other", pipeline(Map.of())).env()).isEmpty();
  }
}

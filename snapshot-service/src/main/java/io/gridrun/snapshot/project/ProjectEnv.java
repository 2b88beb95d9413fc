package io.gridrun.snapshot.project;

import io.gridrun.common.pipeline.PipelineDefinition;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bson.Document;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Mono;

/**
 * A project's environment variables ({@code PUT /api/v1/projects/{name}/env}), kept apart from the
 * project's files so that uploading the project again keeps them. A job's snapshot applies them
 * below the pipeline's and the job's variables (project &lt; pipeline &lt; job, as Orchest did; an
 * environment's own variables are below all three): they are merged under the pipeline's {@code
 * env} in the snapshotted definition.
 */
public class ProjectEnv {

  private static final String COLLECTION = "project-env";
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final ReactiveMongoTemplate mongo;

  public ProjectEnv(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  public Mono<Map<String, String>> find(String project) {
    return mongo
        .findOne(new Query(Criteria.where("_id").is(project)), Document.class, COLLECTION)
        .map(ProjectEnv::variables)
        .defaultIfEmpty(Map.of());
  }

  public Mono<Map<String, String>> replace(String project, Map<String, String> env) {
    Document document = new Document("_id", project).append("env", new Document(env));
    return mongo
        .getCollection(COLLECTION)
        .flatMap(
            c ->
                Mono.from(
                    c.replaceOne(
                        new Document("_id", project),
                        document,
                        new com.mongodb.client.model.ReplaceOptions().upsert(true))))
        .thenReturn(Map.copyOf(env));
  }

  /** The pipeline with the project's variables below its own. */
  public PipelineDefinition under(String project, PipelineDefinition pipeline) {
    Map<String, String> own = find(project).block(TIMEOUT);
    if (own == null || own.isEmpty()) {
      return pipeline;
    }
    Map<String, String> merged = new LinkedHashMap<>(own);
    merged.putAll(pipeline.env());
    return new PipelineDefinition(
        pipeline.name(),
        pipeline.parameters(),
        merged,
        pipeline.steps(),
        pipeline.timeout(),
        pipeline.maxStepParallelism());
  }

  private static Map<String, String> variables(Document document) {
    Object env = document.get("env");
    Map<String, String> variables = new LinkedHashMap<>();
    if (env instanceof Document values) {
      values.forEach((name, value) -> variables.put(name, String.valueOf(value)));
    }
    return variables;
  }
}

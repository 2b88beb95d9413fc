package io.gridrun.job.persistence;

import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.port.Jobs;
import io.gridrun.platform.persistence.JsonDocuments;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.bson.Document;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Jobs by id. Writes come only from the thread that handles the job's events (all of a job's events
 * are on one partition), so a job is read, changed and replaced whole.
 */
@Component
public class JobStore implements Jobs {

  static final String COLLECTION = "jobs";
  private static final String DUE_AT = "dueAt";

  private final ReactiveMongoTemplate mongo;

  public JobStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public boolean insertIfAbsent(JobRecord job) {
    try {
      Blocking.await(mongo.insert(document(job), COLLECTION));
      return true;
    } catch (DuplicateKeyException exists) {
      return false;
    }
  }

  @Override
  public Optional<JobRecord> find(String id) {
    return Optional.ofNullable(Blocking.await(findReactive(id)));
  }

  public Mono<JobRecord> findReactive(String id) {
    return mongo
        .findById(id, Document.class, COLLECTION)
        .map(d -> JsonDocuments.fromDocument(d, JobRecord.class));
  }

  @Override
  public void replace(JobRecord job) {
    Blocking.await(
        mongo
            .getCollection(COLLECTION)
            .flatMap(c -> Mono.from(c.replaceOne(new Document("_id", job.id()), document(job)))));
  }

  /**
   * The job as stored, with {@code dueAt}: its next firing in epoch milliseconds, a number, so that
   * "which firings are due" is a range query (instants are ISO strings in the JSON).
   */
  private static Document document(JobRecord job) {
    Document document = JsonDocuments.toDocument(job);
    Instant next = job.batches().nextRunAt();
    if (next != null) {
      document.put(DUE_AT, next.toEpochMilli());
    }
    return document;
  }

  /** Jobs whose schedule is due at {@code now}: a scan over jobs, which stay few. */
  @Override
  public List<JobRecord> due(Instant now) {
    return Blocking.await(
        mongo
            .find(
                Query.query(Criteria.where(DUE_AT).lte(now.toEpochMilli())),
                Document.class,
                COLLECTION)
            .map(d -> JsonDocuments.fromDocument(d, JobRecord.class))
            .collectList());
  }

  @Override
  public void delete(String id) {
    Blocking.await(mongo.remove(Query.query(Criteria.where("_id").is(id)), COLLECTION));
  }

  /**
   * A filter over jobs, all parts optional.
   *
   * @param q a case-insensitive part of the job's name or id
   */
  public record JobQuery(String status, String project, String q) {

    Query query() {
      Criteria criteria = new Criteria();
      if (status != null) {
        criteria = criteria.and("status").is(status);
      }
      if (project != null) {
        criteria = criteria.and("project").is(project);
      }
      if (q != null && !q.isBlank()) {
        String pattern = java.util.regex.Pattern.quote(q.trim());
        criteria =
            criteria.orOperator(
                Criteria.where("name").regex(pattern, "i"),
                Criteria.where("_id").regex(pattern, "i"));
      }
      return Query.query(criteria);
    }
  }

  /** Newest first: job ids start with their creation time. A scan over jobs, which stay few. */
  public Mono<List<JobRecord>> page(JobQuery filter, int page, int size) {
    return mongo
        .find(
            filter
                .query()
                .with(Sort.by(Sort.Direction.DESC, "_id"))
                .skip((long) page * size)
                .limit(size),
            Document.class,
            COLLECTION)
        .map(d -> JsonDocuments.fromDocument(d, JobRecord.class))
        .collectList();
  }

  public Mono<Long> count(JobQuery filter) {
    return mongo.count(filter.query(), COLLECTION);
  }

  @Override
  public void forEach(Consumer<JobRecord> action) {
    Blocking.await(
        mongo
            .findAll(Document.class, COLLECTION)
            .map(d -> JsonDocuments.fromDocument(d, JobRecord.class))
            .doOnNext(action)
            .then());
  }
}

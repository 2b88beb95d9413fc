package io.gridrun.job.persistence;

import io.gridrun.job.domain.JobRecord;
import io.gridrun.job.domain.port.Jobs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
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
  private static final String NEXT_RUN_AT = "batches.nextRunAt";

  private final ReactiveMongoTemplate mongo;

  public JobStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  @Override
  public boolean insertIfAbsent(JobRecord job) {
    try {
      Blocking.await(mongo.insert(job, COLLECTION));
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
    return mongo.findById(id, JobRecord.class, COLLECTION);
  }

  @Override
  public void replace(JobRecord job) {
    Blocking.await(mongo.replace(Query.query(Criteria.where("_id").is(job.id())), job, COLLECTION));
  }

  /**
   * Jobs whose schedule is due at {@code now}: {@code nextRunAt} is stored as sortable text, so
   * this is a range query; a scan over jobs, which stay few.
   */
  @Override
  public List<JobRecord> due(Instant now) {
    return Blocking.await(
        mongo
            .find(
                Query.query(Criteria.where(NEXT_RUN_AT).lte(java.util.Date.from(now))),
                JobRecord.class,
                COLLECTION)
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
            JobRecord.class,
            COLLECTION)
        .collectList();
  }

  public Mono<Long> count(JobQuery filter) {
    return mongo.count(filter.query(), COLLECTION);
  }

  @Override
  public void forEach(Consumer<JobRecord> action) {
    Blocking.await(mongo.findAll(JobRecord.class, COLLECTION).doOnNext(action).then());
  }
}

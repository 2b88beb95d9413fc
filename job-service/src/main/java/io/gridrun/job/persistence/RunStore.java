package io.gridrun.job.persistence;

import com.mongodb.client.model.BulkWriteOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.ReplaceOneModel;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.config.JobServiceProperties;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.port.Runs;
import io.gridrun.job.domain.view.RunEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bson.Document;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs, one document each, addressed by their deterministic id {@code <jobId>-r<seq>}: a page of
 * runs in order is a lookup of known ids, which needs no index on any other field.
 */
@Component
public class RunStore implements Runs {

  static final String COLLECTION = "runs";

  private final ReactiveMongoTemplate mongo;
  private final RunBucketStore buckets;

  /** Without a cache of decoded run buckets. */
  public RunStore(ReactiveMongoTemplate mongo) {
    this(mongo, (RunBucketCache) null);
  }

  @Autowired
  public RunStore(ReactiveMongoTemplate mongo, JobServiceProperties properties) {
    this(
        mongo,
        properties.viewCacheEntries() == 0
            ? null
            : new RunBucketCache(properties.viewCacheEntries()));
  }

  RunStore(ReactiveMongoTemplate mongo, RunBucketCache cache) {
    this.mongo = mongo;
    this.buckets = new RunBucketStore(mongo, cache);
  }

  /**
   * Inserts runs; their bucket entries are written first, so a crash in between leaves entries
   * beyond the job's {@code materialized} count, which no list reads, and the redelivery writes
   * both again.
   */
  @Override
  public boolean insertAll(List<RunRecord> runs) {
    if (runs.isEmpty()) {
      return true;
    }
    buckets.created(runs);
    try {
      Blocking.await(mongo.insert(runs, COLLECTION).then());
      return true;
    } catch (DuplicateKeyException partlyThere) {
      List<String> existing = new ArrayList<>();
      for (RunRecord run : runs) {
        try {
          Blocking.await(mongo.insert(run, COLLECTION));
        } catch (DuplicateKeyException exists) {
          existing.add(run.id()); // written before the redelivery: keep it
        }
      }
      // their bucket entries were just set to the runs as given: back to the runs as they are
      buckets.changed(findAll(existing));
      return false;
    }
  }

  @Override
  public Optional<RunRecord> find(String id) {
    return Optional.ofNullable(Blocking.await(findReactive(id)));
  }

  public Mono<RunRecord> findReactive(String id) {
    return mongo.findById(id, RunRecord.class, COLLECTION);
  }

  @Override
  public List<RunRecord> findAll(List<String> ids) {
    return Blocking.await(findAllReactive(ids));
  }

  /** The runs with these ids that exist, in sequence order. */
  public Mono<List<RunRecord>> findAllReactive(List<String> ids) {
    if (ids.isEmpty()) {
      return Mono.just(List.of());
    }
    return find(Query.query(Criteria.where("_id").in(ids)))
        .collectList()
        .map(
            found -> {
              List<RunRecord> ordered = new ArrayList<>(found);
              ordered.sort(Comparator.comparingLong(RunRecord::seq));
              return ordered;
            });
  }

  /** The parameters of the job's runs with these sequence numbers, by sequence number. */
  public Mono<Map<Long, RunParameters>> parametersOf(String jobId, List<Long> seqs) {
    if (seqs.isEmpty()) {
      return Mono.just(Map.of());
    }
    return findAllReactive(seqs.stream().map(seq -> RunRecord.idOf(jobId, seq)).toList())
        .map(
            found -> {
              Map<Long, RunParameters> bySeq = new java.util.HashMap<>();
              found.forEach(run -> bySeq.put(run.seq(), run.parameters()));
              return bySeq;
            });
  }

  @Override
  public void replace(RunRecord run) {
    RunEntry before = Blocking.await(findReactive(run.id()).map(RunEntry::of));
    RunEntry after = RunEntry.of(run);
    replace(
        run,
        before == null
            || before.status() != after.status()
            || !before.metrics().equals(after.metrics()));
  }

  /**
   * Replaces a run; when its status or metrics change, its bucket entry first (so an entry is never
   * behind its run: a crash in between leaves it ahead, and the redelivered event brings the run to
   * the same state). Every write of a run's status or metrics must come through here.
   */
  @Override
  public void replace(RunRecord run, boolean summaryChanged) {
    if (summaryChanged) {
      buckets.changed(List.of(run));
    }
    Blocking.await(mongo.replace(Query.query(Criteria.where("_id").is(run.id())), run, COLLECTION));
  }

  /**
   * Replaces runs whose status changed: their buckets' entries first, one write per bucket (as in
   * {@link #replace(RunRecord, boolean)}), then the runs in one unordered bulk write.
   */
  @Override
  public void replaceAll(List<RunRecord> runs) {
    if (runs.isEmpty()) {
      return;
    }
    buckets.changed(runs);
    List<ReplaceOneModel<Document>> writes = new ArrayList<>(runs.size());
    for (RunRecord run : runs) {
      writes.add(new ReplaceOneModel<>(Filters.eq("_id", run.id()), document(run)));
    }
    Blocking.await(
        mongo
            .getCollection(COLLECTION)
            .flatMap(c -> Mono.from(c.bulkWrite(writes, new BulkWriteOptions().ordered(false)))));
  }

  /**
   * A targeted update instead of a replacement: {@code $set} of the fields that differ between the
   * two documents (a step changed in place as {@code steps.<i>}) and {@code $unset} of those gone,
   * so the document becomes exactly what {@link #replace} would have written, without sending the
   * run's identity, parameters and unchanged steps again. The bucket entry first, as there.
   */
  @Override
  public void update(RunRecord before, RunRecord after, boolean summaryChanged) {
    if (summaryChanged) {
      buckets.changed(List.of(after));
    }
    Document update = RunDiff.update(document(before), document(after));
    if (update.isEmpty()) {
      return;
    }
    Blocking.await(
        mongo
            .getCollection(COLLECTION)
            .flatMap(c -> Mono.from(c.updateOne(Filters.eq("_id", after.id()), update))));
  }

  private Document document(RunRecord run) {
    Document document = new Document();
    mongo.getConverter().write(run, document);
    return document;
  }

  /**
   * The entries of the job's runs {@code 0 .. runs - 1} (status, batch, combination, metrics) from
   * its buckets, in sequence order; fewer than {@code runs} for a job stored before buckets.
   */
  public Mono<List<RunEntry>> entries(String jobId, long runs) {
    return buckets.entries(jobId, runs);
  }

  /**
   * From the job's buckets, read whole (never from the run views' cache): one small document per
   * 500 runs, where counting the runs' documents is five queries that mongo-java-server answers by
   * scanning every run of every job (seconds per cancel of a large job). An entry is written before
   * its run, so a crash in between leaves it ahead; after a cancel every run that had not ended was
   * written again, entry and document alike, so they agree then. Jobs stored before buckets are
   * counted from their runs.
   */
  @Override
  public Map<ExecutionStatus, Long> countByStatusAfterAbortingAll(
      String jobId, long runs, long fromSeq) {
    List<RunEntry> entries = Blocking.await(buckets.current(jobId, runs));
    if (entries.size() < runs) {
      return countByStatus(jobId, runs, fromSeq);
    }
    Map<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus status : ExecutionStatus.values()) {
      counts.put(status, 0L);
    }
    for (RunEntry entry : entries) {
      if (entry.seq() >= fromSeq) {
        counts.merge(entry.status(), 1L, Long::sum);
      }
    }
    return counts;
  }

  @Override
  public Map<ExecutionStatus, Long> countByStatus(String jobId, long runs, long fromSeq) {
    Map<ExecutionStatus, Long> counts = new EnumMap<>(ExecutionStatus.class);
    for (ExecutionStatus status : ExecutionStatus.values()) {
      counts.put(
          status,
          Blocking.await(
              mongo.count(
                  Query.query(
                      Criteria.where("jobId")
                          .is(jobId)
                          .and("seq")
                          .gte(fromSeq)
                          .lt(runs)
                          .and("status")
                          .is(status.name())),
                  COLLECTION)));
    }
    return counts;
  }

  /**
   * A page of a job's runs matching {@code query}, in sequence order (or the reverse). On MongoDB
   * the indexes created at start-up serve it; mongo-java-server scans the runs collection.
   */
  public Mono<List<RunRecord>> page(
      String jobId, RunQuery query, boolean descending, int page, int size) {
    return find(Query.query(query.criteria(jobId))
            .with(Sort.by(descending ? Sort.Direction.DESC : Sort.Direction.ASC, "seq"))
            .skip((long) page * size)
            .limit(size))
        .collectList();
  }

  public Mono<Long> count(String jobId, RunQuery query) {
    return mongo.count(Query.query(query.criteria(jobId)), COLLECTION);
  }

  /** Indexes for filtered run lists on a real MongoDB (mongo-java-server ignores them). */
  @jakarta.annotation.PostConstruct
  void ensureIndexes() {
    buckets.ensureIndexes();
    var indexes = mongo.indexOps(COLLECTION);
    for (String second : List.of("status", "batch")) {
      Blocking.await(
          indexes
              .createIndex(
                  new org.springframework.data.mongodb.core.index.Index()
                      .on("jobId", Sort.Direction.ASC)
                      .on(second, Sort.Direction.ASC)
                      .on("seq", Sort.Direction.ASC))
              .onErrorResume(e -> Mono.empty()));
    }
  }

  /** Every run of a job (optionally of one batch): a scan, for the results table. */
  public Flux<RunRecord> ofJob(String jobId, Integer batch) {
    return find(Query.query(ofJobCriteria(jobId, batch)));
  }

  private static Criteria ofJobCriteria(String jobId, Integer batch) {
    Criteria criteria = Criteria.where("jobId").is(jobId);
    return batch == null ? criteria : criteria.and("batch").is(batch);
  }

  /** Whether a run of the job (of the batch, when given) has a value in {@code field}. */
  public Mono<Boolean> anyHas(String jobId, Integer batch, String field) {
    return mongo.exists(Query.query(ofJobCriteria(jobId, batch).and(field).ne(null)), COLLECTION);
  }

  /** How many runs of the job (of the batch) have a value in {@code field}; all when it is null. */
  public Mono<Long> countWithValue(String jobId, Integer batch, String field) {
    Criteria criteria = ofJobCriteria(jobId, batch);
    return mongo.count(
        Query.query(field == null ? criteria : criteria.and(field).ne(null)), COLLECTION);
  }

  /**
   * A slice of a results table, sorted in the database: the runs with a value in {@code field}
   * ordered by it ({@code withValue}), or those without one; ties and runs without a value in
   * sequence order. {@code field} null: every run, in sequence order. {@code limit} 0: no limit.
   */
  public Flux<RunRecord> resultsSlice(
      String jobId,
      Integer batch,
      String field,
      boolean withValue,
      boolean descending,
      long skip,
      int limit) {
    Criteria criteria = ofJobCriteria(jobId, batch);
    Sort bySeq = Sort.by(Sort.Direction.ASC, "seq");
    Sort order;
    if (field == null) {
      order = descending ? Sort.by(Sort.Direction.DESC, "seq") : bySeq;
    } else if (withValue) {
      criteria = criteria.and(field).ne(null);
      order = Sort.by(descending ? Sort.Direction.DESC : Sort.Direction.ASC, field).and(bySeq);
    } else {
      criteria = criteria.and(field).is(null);
      order = bySeq;
    }
    Query query = Query.query(criteria).with(order).skip(skip);
    if (limit > 0) {
      query.limit(limit);
    }
    return find(query);
  }

  public Flux<RunRecord> unfinished(String jobId) {
    return find(
        Query.query(Criteria.where("jobId").is(jobId).and("status").in("PENDING", "STARTED")));
  }

  /**
   * How many runs with sequence numbers {@code from .. from + count - 1} failed or were aborted.
   */
  public Mono<Long> countRerunnable(String jobId, long from, long count) {
    return mongo.count(
        Query.query(
            Criteria.where("_id")
                .in(
                    java.util.stream.LongStream.range(from, from + count)
                        .mapToObj(seq -> RunRecord.idOf(jobId, seq))
                        .toList())
                .and("status")
                .in("FAILURE", "ABORTED")),
        COLLECTION);
  }

  /**
   * Runs matching {@code query}, which names document fields as stored (parameter and metric paths
   * such as {@code metrics.train.loss} are map keys, not properties): the query goes to the
   * collection as it is, and each document is mapped to a run.
   */
  private Flux<RunRecord> find(Query query) {
    return mongo
        .find(query, Document.class, COLLECTION)
        .map(d -> mongo.getConverter().read(RunRecord.class, d));
  }

  @Override
  public void deleteJob(String jobId) {
    buckets.deleteJob(jobId);
    Blocking.await(mongo.remove(Query.query(Criteria.where("jobId").is(jobId)), COLLECTION));
  }
}

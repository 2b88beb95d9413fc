package io.gridrun.job.persistence;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Updates;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.view.RunBuckets;
import io.gridrun.job.domain.view.RunEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The job's run buckets (collection {@code run-buckets}): one document per {@link RunBuckets#SIZE}
 * runs, {@code {_id: "<jobId>-b<5 digits>", jobId, bucket, runs: [entry | null, ...]}}, each entry
 * {@code {s: status, g: gridIndex | null, b: batch, m: [[step, name, value], ...]}} (metrics as
 * triples, since their names may hold dots; {@code b} left out for batch 0 and {@code m} without
 * metrics, to keep the buckets small). Written by {@link RunStore} before the runs they describe,
 * read by the run lists and the results table; found by {@code _id} only.
 */
class RunBucketStore {

  static final String COLLECTION = "run-buckets";

  private final ReactiveMongoTemplate mongo;

  RunBucketStore(ReactiveMongoTemplate mongo) {
    this.mongo = mongo;
  }

  /** Creates the buckets these new runs fall in, when missing, and sets the runs' entries. */
  void created(List<RunRecord> runs) {
    Map<String, List<RunRecord>> byBucket = byBucket(runs);
    for (Map.Entry<String, List<RunRecord>> bucket : byBucket.entrySet()) {
      RunRecord first = bucket.getValue().get(0);
      Document empty =
          new Document("_id", bucket.getKey())
              .append("jobId", first.jobId())
              .append("bucket", RunBuckets.bucket(first.seq()))
              .append("runs", Collections.nCopies(RunBuckets.SIZE, null));
      Blocking.await(
          collection()
              .flatMap(c -> Mono.from(c.insertOne(empty)))
              .onErrorResume(RunBucketStore::duplicate, e -> Mono.empty()));
      set(bucket.getKey(), bucket.getValue());
    }
  }

  /** Sets the entries of runs whose status, or metrics, changed. */
  void changed(List<RunRecord> runs) {
    byBucket(runs).forEach(this::set);
  }

  private void set(String bucketId, List<RunRecord> runs) {
    List<Bson> sets = new ArrayList<>();
    for (RunRecord run : runs) {
      sets.add(Updates.set("runs." + RunBuckets.slot(run.seq()), entry(run)));
    }
    Blocking.await(
        collection()
            .flatMap(
                c -> Mono.from(c.updateOne(Filters.eq("_id", bucketId), Updates.combine(sets)))));
  }

  /**
   * The entries of the job's runs {@code 0 .. runs - 1} that the buckets hold, in sequence order.
   * Fewer than {@code runs} for a job written before buckets existed.
   */
  Mono<List<RunEntry>> entries(String jobId, long runs) {
    if (runs == 0) {
      return Mono.just(List.of());
    }
    List<String> ids =
        LongStream.range(0, RunBuckets.count(runs)).mapToObj(b -> RunBuckets.id(jobId, b)).toList();
    return collection()
        .flatMapMany(c -> Flux.from(c.find(Filters.in("_id", ids))))
        .collectList()
        .map(
            buckets -> {
              List<RunEntry> entries = new ArrayList<>();
              buckets.sort(java.util.Comparator.comparing(d -> d.getString("_id")));
              for (Document bucket : buckets) {
                long first = ((Number) bucket.get("bucket")).longValue() * RunBuckets.SIZE;
                List<?> slots = bucket.getList("runs", Object.class);
                for (int i = 0; i < slots.size() && first + i < runs; i++) {
                  if (slots.get(i) instanceof Document entry) {
                    entries.add(entry(first + i, entry));
                  }
                }
              }
              return entries;
            });
  }

  void deleteJob(String jobId) {
    Blocking.await(collection().flatMap(c -> Mono.from(c.deleteMany(Filters.eq("jobId", jobId)))));
  }

  /** The index a job's deletion uses on MongoDB; lookups are by {@code _id}. */
  void ensureIndexes() {
    Blocking.await(
        collection()
            .flatMap(
                c ->
                    Mono.from(
                        c.createIndex(
                            Indexes.ascending("jobId"), new IndexOptions().name("jobId"))))
            .onErrorResume(e -> Mono.empty()));
  }

  private Document entry(RunRecord run) {
    List<List<Object>> metrics = new ArrayList<>();
    new TreeMap<>(run.metrics())
        .forEach(
            (step, values) ->
                new TreeMap<>(values)
                    .forEach(
                        (name, value) ->
                            metrics.add(
                                java.util.Arrays.asList(
                                    step, name, mongo.getConverter().convertToMongoType(value)))));
    Document entry = new Document("s", run.status().name()).append("g", run.gridIndex());
    if (run.batch() != 0) {
      entry.append("b", run.batch());
    }
    if (!metrics.isEmpty()) {
      entry.append("m", metrics);
    }
    return entry;
  }

  private static RunEntry entry(long seq, Document entry) {
    Map<String, Map<String, Object>> metrics = new LinkedHashMap<>();
    for (Object triple : entry.getList("m", Object.class, List.of())) {
      List<?> parts = (List<?>) triple;
      metrics
          .computeIfAbsent((String) parts.get(0), s -> new LinkedHashMap<>())
          .put((String) parts.get(1), parts.get(2));
    }
    Object grid = entry.get("g");
    return new RunEntry(
        seq,
        ExecutionStatus.valueOf(entry.getString("s")),
        entry.get("b") instanceof Number batch ? batch.intValue() : 0,
        grid == null ? null : ((Number) grid).longValue(),
        metrics);
  }

  private static Map<String, List<RunRecord>> byBucket(List<RunRecord> runs) {
    Map<String, List<RunRecord>> byBucket = new LinkedHashMap<>();
    for (RunRecord run : runs) {
      byBucket
          .computeIfAbsent(
              RunBuckets.id(run.jobId(), RunBuckets.bucket(run.seq())), b -> new ArrayList<>())
          .add(run);
    }
    return byBucket;
  }

  private Mono<com.mongodb.reactivestreams.client.MongoCollection<Document>> collection() {
    return mongo.getCollection(COLLECTION);
  }

  private static boolean duplicate(Throwable e) {
    return e instanceof com.mongodb.MongoWriteException w && w.getCode() == 11000;
  }
}

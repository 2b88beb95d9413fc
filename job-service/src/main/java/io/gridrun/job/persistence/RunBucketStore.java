package io.gridrun.job.persistence;

import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Updates;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.view.RunBuckets;
import io.gridrun.job.domain.view.RunEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.bson.types.ObjectId;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The job's run buckets (collection {@code run-buckets}): one document per {@link RunBuckets#SIZE}
 * runs, {@code {_id: "<jobId>-b<5 digits>", jobId, bucket, runs: [entry | null, ...]}}, each entry
 * {@code {s: status, g: gridIndex | null, b: batch, m: [[step, name, value], ...]}} (metrics as
 * triples, since their names may hold dots; {@code b} left out for batch 0 and {@code m} without
 * metrics, to keep the buckets small), and {@code v}, the bucket's version: a new {@link ObjectId}
 * at every write, so that two reads with the same version saw the same entries, whoever wrote them
 * increments. Written by {@link RunStore} before the runs they describe, read by the run lists and
 * the results table; found by {@code _id} only.
 */
class RunBucketStore {

  static final String COLLECTION = "run-buckets";
  static final String VERSION = "v";

  private final ReactiveMongoTemplate mongo;
  private final RunBucketCache cache;

  /**
   * @param cache decoded buckets kept across reads; null reads every bucket whole each time
   */
  RunBucketStore(ReactiveMongoTemplate mongo, RunBucketCache cache) {
    this.mongo = mongo;
    this.cache = cache;
  }

  /**
   * Creates the buckets these new runs fall in with the runs' entries in them; a bucket that exists
   * already (an earlier chunk filled part of it, or this chunk is written again after a crash) gets
   * the entries set instead. Inserting them whole spares mongo-java-server a {@code $set} of 500
   * paths, whose conflict check compares every path with every other.
   */
  void created(List<RunRecord> runs) {
    Map<String, List<RunRecord>> byBucket = byBucket(runs);
    for (Map.Entry<String, List<RunRecord>> bucket : byBucket.entrySet()) {
      RunRecord first = bucket.getValue().get(0);
      List<Document> slots = new ArrayList<>(Collections.nCopies(RunBuckets.SIZE, null));
      for (RunRecord run : bucket.getValue()) {
        slots.set(RunBuckets.slot(run.seq()), entry(run));
      }
      Document whole =
          new Document("_id", bucket.getKey())
              .append("jobId", first.jobId())
              .append("bucket", RunBuckets.bucket(first.seq()))
              .append("runs", slots)
              .append(VERSION, new ObjectId());
      boolean inserted =
          Blocking.await(
              collection()
                  .flatMap(c -> Mono.from(c.insertOne(whole)))
                  .thenReturn(true)
                  .onErrorResume(RunBucketStore::duplicate, e -> Mono.just(false)));
      if (!inserted) {
        set(bucket.getKey(), bucket.getValue());
      }
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
    sets.add(Updates.set(VERSION, new ObjectId()));
    Blocking.await(
        collection()
            .flatMap(
                c -> Mono.from(c.updateOne(Filters.eq("_id", bucketId), Updates.combine(sets)))));
  }

  /**
   * The entries of the job's runs {@code 0 .. runs - 1} that the buckets hold, in sequence order.
   * Fewer than {@code runs} for a job written before buckets existed. With a cache, the buckets'
   * versions are read first and only the buckets changed since the last read are read whole.
   */
  Mono<List<RunEntry>> entries(String jobId, long runs) {
    if (runs == 0) {
      return Mono.just(List.of());
    }
    if (cache == null) {
      return current(jobId, runs);
    }
    List<String> ids = ids(jobId, runs);
    return collection()
        .flatMapMany(
            c -> Flux.from(c.find(Filters.in("_id", ids)).projection(Projections.include(VERSION))))
        .collectMap(d -> d.getString("_id"), RunBucketStore::version)
        .flatMap(
            versions -> {
              Map<String, List<RunEntry>> known = new HashMap<>();
              List<String> changed = new ArrayList<>();
              versions.forEach(
                  (id, version) -> {
                    List<RunEntry> kept = version.map(v -> cache.find(id, v)).orElse(null);
                    if (kept == null) {
                      changed.add(id);
                    } else {
                      known.put(id, kept);
                    }
                  });
              return read(changed)
                  .map(
                      fresh -> {
                        known.putAll(fresh);
                        return inOrder(ids, known, runs);
                      });
            });
  }

  /**
   * The same, every bucket read whole now, nothing served from the cache: for counting a job's runs
   * again, which must not rest on what any cache holds.
   */
  Mono<List<RunEntry>> current(String jobId, long runs) {
    if (runs == 0) {
      return Mono.just(List.of());
    }
    List<String> ids = ids(jobId, runs);
    return read(ids).map(buckets -> inOrder(ids, buckets, runs));
  }

  private static List<String> ids(String jobId, long runs) {
    return LongStream.range(0, RunBuckets.count(runs))
        .mapToObj(b -> RunBuckets.id(jobId, b))
        .toList();
  }

  /** The buckets' entries by bucket id, read whole; kept in the cache at the version read. */
  private Mono<Map<String, List<RunEntry>>> read(List<String> ids) {
    if (ids.isEmpty()) {
      return Mono.just(Map.of());
    }
    return collection()
        .flatMapMany(c -> Flux.from(c.find(Filters.in("_id", ids))))
        .collectList()
        .map(
            buckets -> {
              Map<String, List<RunEntry>> byId = new HashMap<>();
              for (Document bucket : buckets) {
                String id = bucket.getString("_id");
                List<RunEntry> entries = decode(bucket);
                byId.put(id, entries);
                if (cache != null) {
                  version(bucket).ifPresent(v -> cache.put(id, v, entries));
                }
              }
              return byId;
            });
  }

  private static List<RunEntry> inOrder(
      List<String> ids, Map<String, List<RunEntry>> buckets, long runs) {
    List<RunEntry> entries = new ArrayList<>();
    for (String id : ids) {
      for (RunEntry entry : buckets.getOrDefault(id, List.of())) {
        if (entry.seq() < runs) {
          entries.add(entry);
        }
      }
    }
    return entries;
  }

  /** A bucket's filled slots, in sequence order. */
  private static List<RunEntry> decode(Document bucket) {
    long first = ((Number) bucket.get("bucket")).longValue() * RunBuckets.SIZE;
    List<?> slots = bucket.getList("runs", Object.class);
    List<RunEntry> entries = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < slots.size(); i++) {
      if (slots.get(i) instanceof Document entry) {
        entries.add(entry(first + i, entry, names));
      }
    }
    return entries;
  }

  /** The bucket's version; none for a bucket written before versions, which is never kept. */
  private static Optional<ObjectId> version(Document bucket) {
    return bucket.get(VERSION) instanceof ObjectId version
        ? Optional.of(version)
        : Optional.empty();
  }

  void deleteJob(String jobId) {
    if (cache != null) {
      cache.forgetJob(jobId);
    }
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

  /**
   * An entry as kept (by the cache too): its step and metric names shared with the bucket's other
   * entries ({@code names}), a single metric in immutable one-entry maps, more in unmodifiable
   * ordered ones.
   */
  private static RunEntry entry(long seq, Document entry, Map<String, String> names) {
    List<?> triples = entry.getList("m", Object.class, List.of());
    Map<String, Map<String, Object>> metrics;
    if (triples.size() == 1 && ((List<?>) triples.get(0)).get(2) != null) {
      List<?> only = (List<?>) triples.get(0);
      metrics =
          Map.of(
              name(names, only.get(0)),
              Map.<String, Object>of(name(names, only.get(1)), only.get(2)));
    } else {
      Map<String, Map<String, Object>> all = new LinkedHashMap<>();
      for (Object triple : triples) {
        List<?> parts = (List<?>) triple;
        all.computeIfAbsent(name(names, parts.get(0)), s -> new LinkedHashMap<>())
            .put(name(names, parts.get(1)), parts.get(2));
      }
      all.replaceAll((step, values) -> Collections.unmodifiableMap(values));
      metrics = all.isEmpty() ? Map.of() : Collections.unmodifiableMap(all);
    }
    Object grid = entry.get("g");
    return new RunEntry(
        seq,
        ExecutionStatus.valueOf(entry.getString("s")),
        entry.get("b") instanceof Number batch ? batch.intValue() : 0,
        grid == null ? null : ((Number) grid).longValue(),
        metrics);
  }

  private static String name(Map<String, String> names, Object name) {
    return names.computeIfAbsent((String) name, n -> n);
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

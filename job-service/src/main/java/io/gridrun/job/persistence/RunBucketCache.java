package io.gridrun.job.persistence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gridrun.job.domain.view.RunEntry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.bson.types.ObjectId;

/**
 * Decoded run buckets, each kept with the version it was read at. Every write of a bucket gives it
 * a new version ({@code v}, an {@link ObjectId}), so a bucket whose stored version equals the kept
 * one holds exactly the kept entries, whichever job-service instance wrote it. A run list then
 * reads the versions of the job's buckets and decodes only those that changed: decoding every entry
 * (100 000 for a 100 000-run job) was most of a filtered page's time, on the database's side and on
 * ours. Bounded by entries and metric values held (Caffeine's eviction: the least used go first). A
 * bucket is also dropped {@link #MAX_AGE} after it was read: the safety net for buckets written by
 * a job-service of an earlier version, which does not change {@code v}.
 */
final class RunBucketCache {

  static final Duration MAX_AGE = Duration.ofMinutes(5);

  private record Kept(ObjectId version, List<RunEntry> entries) {}

  private final Cache<String, Kept> kept;
  private final LongAdder served = new LongAdder();
  private final LongAdder stored = new LongAdder();

  /**
   * @param capacity how many entries and metric values may be held in all
   */
  RunBucketCache(long capacity) {
    this.kept =
        Caffeine.newBuilder()
            .maximumWeight(capacity)
            .weigher((String id, Kept bucket) -> weight(bucket.entries()))
            .expireAfterWrite(MAX_AGE)
            .build();
  }

  /** The bucket's entries if they are kept at {@code version}, else null. */
  List<RunEntry> find(String bucketId, ObjectId version) {
    Kept bucket = kept.getIfPresent(bucketId);
    if (bucket == null || !bucket.version().equals(version)) {
      return null;
    }
    served.increment();
    return bucket.entries();
  }

  void put(String bucketId, ObjectId version, List<RunEntry> entries) {
    stored.increment();
    kept.put(bucketId, new Kept(version, List.copyOf(entries)));
  }

  /** Drops a deleted job's buckets (they would only be evicted later: no read finds them). */
  void forgetJob(String jobId) {
    String prefix = jobId + "-b";
    kept.asMap().keySet().removeIf(id -> id.startsWith(prefix));
  }

  /** Buckets served from the cache so far. */
  long served() {
    return served.sum();
  }

  /** Buckets read whole (and kept) so far. */
  long stored() {
    return stored.sum();
  }

  private static int weight(List<RunEntry> entries) {
    int weight = 1;
    for (RunEntry entry : entries) {
      weight += 1;
      for (var values : entry.metrics().values()) {
        weight += values.size();
      }
    }
    return weight;
  }
}

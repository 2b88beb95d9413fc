package io.gridrun.job.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.StepState;
import io.gridrun.job.domain.view.RunBuckets;
import io.gridrun.job.domain.view.RunEntry;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * The run views' cache of decoded buckets serves unchanged buckets without reading them whole and
 * never serves a bucket that changed: not when this store wrote it, not when another job-service
 * instance (another store on the same database) did, not after the job was deleted.
 */
class RunBucketCacheTest {

  private static final long RUNS = RunBuckets.SIZE * 3L - 7;

  private static MemoryMongo database;
  private static ReactiveMongoTemplate mongo;

  @BeforeAll
  static void start() {
    database = new MemoryMongo("buckets", MongoMapping.standalone());
    mongo = database.template();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  private static RunRecord pending(String job, long seq) {
    return new RunRecord(
        RunRecord.idOf(job, seq),
        job,
        seq,
        seq,
        0,
        seq,
        ExecutionStatus.PENDING,
        1,
        new RunParameters(Map.of("lr", 0.1), Map.of()),
        List.of(StepState.pending("train")),
        null,
        null,
        null,
        null,
        null);
  }

  private static List<RunRecord> jobOf(String job) {
    return LongStream.range(0, RUNS).mapToObj(seq -> pending(job, seq)).toList();
  }

  private static RunRecord ended(RunRecord run, double loss) {
    return run.withProgress(
        ExecutionStatus.SUCCESS,
        1,
        run.steps(),
        Map.of("train", Map.of("loss", loss)),
        null,
        null,
        null);
  }

  @Test
  void unchangedBucketsAreServedFromTheCacheAndChangedOnesReadAgain() {
    RunBucketCache cache = new RunBucketCache(100_000);
    RunStore store = new RunStore(mongo, cache);
    List<RunRecord> runs = jobOf("j-own");
    store.insertAll(runs);

    assertThat(store.entries("j-own", RUNS).block()).hasSize((int) RUNS);
    assertThat(cache.stored()).isEqualTo(3);
    assertThat(store.entries("j-own", RUNS).block())
        .extracting(RunEntry::seq)
        .containsExactlyElementsOf(LongStream.range(0, RUNS).boxed().toList());
    assertThat(cache.stored()).isEqualTo(3);
    assertThat(cache.served()).isEqualTo(3);

    store.replace(ended(runs.get(RunBuckets.SIZE + 2), 0.25));
    List<RunEntry> after = store.entries("j-own", RUNS).block();
    RunEntry changed = after.get(RunBuckets.SIZE + 2);
    assertThat(changed.status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(changed.metric("train", "loss")).isEqualTo(0.25);
    // only the changed bucket was read whole again
    assertThat(cache.stored()).isEqualTo(4);
    assertThat(cache.served()).isEqualTo(5);
    // a shorter count still ends where it is asked to
    assertThat(store.entries("j-own", 10).block()).hasSize(10);
  }

  @Test
  void aBucketAnotherInstanceWroteIsNotServedFromTheCache() {
    RunStore reader = new RunStore(mongo, new RunBucketCache(100_000));
    RunStore writer = new RunStore(mongo, new RunBucketCache(100_000));
    List<RunRecord> runs = jobOf("j-other");
    writer.insertAll(runs);
    assertThat(reader.entries("j-other", RUNS).block())
        .allMatch(e -> e.status() == ExecutionStatus.PENDING);
    assertThat(writer.entries("j-other", RUNS).block()).hasSize((int) RUNS);

    writer.replaceAll(List.of(ended(runs.get(0), 0.5), ended(runs.get((int) RUNS - 1), 0.75)));
    reader.replace(ended(runs.get(RunBuckets.SIZE), 0.125));

    List<RunEntry> seenByReader = reader.entries("j-other", RUNS).block();
    List<RunEntry> seenByWriter = writer.entries("j-other", RUNS).block();
    for (List<RunEntry> seen : List.of(seenByReader, seenByWriter)) {
      assertThat(seen.get(0).metric("train", "loss")).isEqualTo(0.5);
      assertThat(seen.get((int) RUNS - 1).metric("train", "loss")).isEqualTo(0.75);
      assertThat(seen.get(RunBuckets.SIZE).metric("train", "loss")).isEqualTo(0.125);
      assertThat(seen).filteredOn(e -> e.status() == ExecutionStatus.SUCCESS).hasSize(3);
    }
  }

  @Test
  void aDeletedJobsBucketsAreNotServed() {
    RunStore store = new RunStore(mongo, new RunBucketCache(100_000));
    store.insertAll(jobOf("j-gone"));
    assertThat(store.entries("j-gone", RUNS).block()).hasSize((int) RUNS);
    // deleted by another instance: this one's cache still holds the buckets
    new RunStore(mongo).deleteJob("j-gone");
    assertThat(store.entries("j-gone", RUNS).block()).isEmpty();
  }

  @Test
  void aCacheTooSmallForTheJobStillAnswersInFull() {
    // room for one bucket of pending runs, not three
    RunStore store = new RunStore(mongo, new RunBucketCache(RunBuckets.SIZE + 100));
    List<RunRecord> runs = jobOf("j-big");
    store.insertAll(runs);
    for (int i = 0; i < 3; i++) {
      assertThat(store.entries("j-big", RUNS).block())
          .extracting(RunEntry::seq)
          .containsExactlyElementsOf(LongStream.range(0, RUNS).boxed().toList());
    }
  }

  @Test
  void chunksThatSplitABucketAndAChunkWrittenAgainLeaveEveryRunsEntryOnce() {
    RunStore store = new RunStore(mongo, new RunBucketCache(100_000));
    List<RunRecord> runs = jobOf("j-chunks");
    int split = RunBuckets.SIZE / 2 + 3;
    store.insertAll(runs.subList(0, split));
    // read (and kept) between the chunks: the next chunk's entries are set into the kept bucket
    assertThat(store.entries("j-chunks", split).block()).hasSize(split);
    store.insertAll(runs.subList(split, (int) RUNS));
    // the redelivery of a chunk after a crash: its bucket exists, its entries are set again
    store.insertAll(runs.subList(split, split + 10));
    assertThat(store.entries("j-chunks", RUNS).block())
        .extracting(RunEntry::seq)
        .containsExactlyElementsOf(LongStream.range(0, RUNS).boxed().toList());
  }

  @Test
  void aBucketWrittenBeforeVersionsIsReadWholeUntilItsNextWrite() {
    RunBucketCache cache = new RunBucketCache(100_000);
    RunStore store = new RunStore(mongo, cache);
    List<RunRecord> runs = jobOf("j-old");
    store.insertAll(runs);
    String first = RunBuckets.id("j-old", 0);
    Blocking.await(
        mongo
            .getCollection(RunBucketStore.COLLECTION)
            .flatMap(
                c ->
                    Mono.from(
                        c.updateOne(
                            new Document("_id", first),
                            new Document("$unset", new Document(RunBucketStore.VERSION, ""))))));
    store.entries("j-old", RUNS).block();
    store.entries("j-old", RUNS).block();
    // the two versioned buckets kept at the first read and served at the second; the unversioned
    // one read whole both times
    assertThat(cache.stored()).isEqualTo(2);
    assertThat(cache.served()).isEqualTo(2);
    store.replace(ended(runs.get(1), 0.5));
    assertThat(store.entries("j-old", RUNS).block().get(1).metric("train", "loss")).isEqualTo(0.5);
    assertThat(cache.stored()).isEqualTo(3);
    assertThat(store.entries("j-old", RUNS).block().get(1).status())
        .isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(cache.served()).isEqualTo(2 + 2 + 3);
  }

  @Test
  void aJobWrittenAgainUnderTheSameIdIsNotServedFromWhatWasKeptOfItBefore() {
    RunStore reader = new RunStore(mongo, new RunBucketCache(100_000));
    RunStore writer = new RunStore(mongo);
    List<RunRecord> runs = jobOf("j-again");
    writer.insertAll(runs);
    assertThat(reader.entries("j-again", RUNS).block())
        .allMatch(e -> e.status() == ExecutionStatus.PENDING);
    // deleted and written again (a creation redelivered after a delete): the same bucket ids
    writer.deleteJob("j-again");
    writer.insertAll(runs.stream().map(run -> ended(run, 1.0)).toList());
    assertThat(reader.entries("j-again", RUNS).block())
        .hasSize((int) RUNS)
        .allMatch(e -> e.status() == ExecutionStatus.SUCCESS);
  }
}

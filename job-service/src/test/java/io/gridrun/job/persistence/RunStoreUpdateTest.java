package io.gridrun.job.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.domain.RunLifecycle;
import io.gridrun.job.domain.RunRecord;
import io.gridrun.job.domain.StepState;
import io.gridrun.job.domain.view.RunEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MappingMongoConverter;
import reactor.core.publisher.Mono;

/**
 * A run event's targeted update ({@link RunStore#update}) leaves the run's document exactly as a
 * replacement would, on mongo-java-server, through a whole attempt and a requeue, and sends only
 * what changed.
 */
class RunStoreUpdateTest {

  private static final Instant T0 = Instant.parse("2026-11-30T06:00:00Z");
  private static final MappingMongoConverter CONVERTER = MongoMapping.standalone();

  private static MemoryMongo database;
  private static ReactiveMongoTemplate mongo;

  @BeforeAll
  static void start() {
    database = new MemoryMongo("runs", CONVERTER);
    mongo = database.template();
  }

  @AfterAll
  static void stop() {
    database.close();
  }

  private static RunRecord pending(String id) {
    return pending("j", id, 0);
  }

  private static RunRecord pending(String job, String id, long seq) {
    return new RunRecord(
        id,
        job,
        seq,
        seq,
        0,
        seq,
        ExecutionStatus.PENDING,
        1,
        new RunParameters(Map.of("lr", 0.1, "fit.depth", 3), Map.of()),
        List.of(StepState.pending("prep"), StepState.pending("train")),
        null,
        null,
        null,
        null,
        null);
  }

  private static StepFinished finished(
      String run, String step, int attempt, Map<String, Object> m) {
    return new StepFinished(
        "e",
        "j",
        run,
        step,
        T0.plusSeconds(5),
        attempt,
        ExecutionStatus.SUCCESS,
        0,
        null,
        T0.plusSeconds(1),
        T0.plusSeconds(5),
        m);
  }

  private static Document stored(String id) {
    return Blocking.await(
        mongo
            .getCollection(RunStore.COLLECTION)
            .flatMap(c -> Mono.from(c.find(new Document("_id", id)).first())));
  }

  private static Document written(RunRecord run) {
    Document document = new Document();
    CONVERTER.write(run, document);
    return document;
  }

  @Test
  void everyUpdateOfAnAttemptAndARequeueLeavesTheDocumentAReplacementWouldHaveWritten() {
    RunStore store = new RunStore(mongo);
    String id = "j-r0000000";
    RunRecord run = pending(id);
    store.insertAll(List.of(run));
    List<RunLifecycle.Result> steps = new ArrayList<>();
    steps.add(RunLifecycle.started(run, new RunStarted("e", "j", id, T0, 1, "r1", "process")));
    steps.add(
        RunLifecycle.stepStarted(
            steps.get(0).run(), new StepStarted("e", "j", id, "prep", T0.plusMillis(1), 1)));
    steps.add(
        RunLifecycle.stepFinished(
            steps.get(1).run(), finished(id, "prep", 1, Map.of("train.loss", 0.5, "n", 3))));
    steps.add(RunLifecycle.requeued(steps.get(2).run(), "runner lost", T0.plusSeconds(6)));
    steps.add(
        RunLifecycle.stepStarted(
            steps.get(3).run(), new StepStarted("e", "j", id, "prep", T0.plusSeconds(7), 2)));
    steps.add(
        RunLifecycle.stepFinished(steps.get(4).run(), finished(id, "prep", 2, Map.of("n", 4))));
    steps.add(
        RunLifecycle.stepStarted(
            steps.get(5).run(), new StepStarted("e", "j", id, "train", T0.plusSeconds(8), 2)));
    steps.add(RunLifecycle.aborted(steps.get(6).run(), "cancelled", T0.plusSeconds(9)));

    RunRecord before = run;
    for (RunLifecycle.Result step : steps) {
      assertThat(step.changed()).isTrue();
      store.update(before, step.run(), step.changedSummary());
      assertThat(stored(id)).isEqualTo(written(step.run()));
      assertThat(store.find(id)).contains(step.run());
      before = step.run();
    }
  }

  @Test
  void aStepsStartSendsThatStepOnly() {
    RunRecord started =
        RunLifecycle.stepStarted(
                pending("j-r0000001"), new StepStarted("e", "j", "j-r0000001", "prep", T0, 1))
            .run();
    RunRecord second =
        RunLifecycle.stepFinished(started, finished("j-r0000001", "prep", 1, Map.of())).run();
    RunRecord third =
        RunLifecycle.stepStarted(
                second, new StepStarted("e", "j", "j-r0000001", "train", T0.plusSeconds(6), 1))
            .run();

    Document update = RunDiff.update(written(second), written(third));

    assertThat(update).containsOnlyKeys("$set");
    assertThat(update.get("$set", Document.class)).containsOnlyKeys("steps.1");
    assertThat(RunDiff.update(written(third), written(third))).isEmpty();
  }

  @Test
  void aBulkReplaceWritesEachRunAndItsBucketEntryAsSingleReplacementsWould() {
    RunStore store = new RunStore(mongo);
    // runs in two buckets (1 000 runs each), one of them not changed
    List<RunRecord> runs = new ArrayList<>();
    for (long seq : new long[] {0, 1, 2, 1000}) {
      runs.add(pending("bulk", RunRecord.idOf("bulk", seq), seq));
    }
    store.insertAll(runs);
    RunRecord started =
        RunLifecycle.started(
                runs.get(1), new RunStarted("e", "bulk", runs.get(1).id(), T0, 1, "r1", "process"))
            .run();
    store.replace(started, true);
    List<RunRecord> aborted =
        List.of(runs.get(0), started, runs.get(3)).stream()
            .map(run -> RunLifecycle.aborted(run, "job cancelled", T0.plusSeconds(1)).run())
            .toList();

    store.replaceAll(aborted);

    for (RunRecord run : aborted) {
      assertThat(stored(run.id())).isEqualTo(written(run));
    }
    assertThat(stored(runs.get(2).id())).isEqualTo(written(runs.get(2)));
    assertThat(Blocking.await(store.entries("bulk", 1001)))
        .filteredOn(entry -> entry.seq() == 0 || entry.seq() == 1 || entry.seq() == 1000)
        .extracting(entry -> entry.status())
        .containsExactly(ExecutionStatus.ABORTED, ExecutionStatus.ABORTED, ExecutionStatus.ABORTED);
    assertThat(store.countByStatusAfterAbortingAll("bulk", 1001, 0))
        .containsEntry(ExecutionStatus.ABORTED, 3L)
        .containsEntry(ExecutionStatus.PENDING, 1L)
        .isEqualTo(store.countByStatus("bulk", 1001, 0));
  }

  @Test
  void aRedeliveredExpansionKeepsTheRunsThatMovedOnAndTheirListEntries() {
    RunStore store = new RunStore(mongo);
    List<RunRecord> runs =
        List.of(
            pending("again", RunRecord.idOf("again", 0), 0),
            pending("again", RunRecord.idOf("again", 1), 1));
    store.insertAll(runs);
    RunRecord ended = runs.get(1).withStatus(ExecutionStatus.SUCCESS);
    store.replace(ended, true);

    // the job's write was lost in a crash: the expansion writes the same runs again
    assertThat(store.insertAll(runs)).isFalse();

    assertThat(store.find(ended.id()).orElseThrow().status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(Blocking.await(store.entries("again", 2)))
        .extracting(RunEntry::status)
        .containsExactly(ExecutionStatus.PENDING, ExecutionStatus.SUCCESS);
    assertThat(store.countByStatusAfterAbortingAll("again", 2, 0))
        .containsEntry(ExecutionStatus.SUCCESS, 1L);
  }

  @Test
  void runsOfAJobStoredBeforeBucketsAreCountedFromTheirDocuments() {
    RunStore store = new RunStore(mongo);
    for (long seq = 0; seq < 3; seq++) {
      RunRecord run = pending("old", RunRecord.idOf("old", seq), seq);
      // written as before buckets existed: the run's document only
      Blocking.await(
          mongo.insert(
              seq == 1 ? run.withStatus(ExecutionStatus.SUCCESS) : run, RunStore.COLLECTION));
    }

    assertThat(store.countByStatusAfterAbortingAll("old", 3, 0))
        .containsEntry(ExecutionStatus.PENDING, 2L)
        .containsEntry(ExecutionStatus.SUCCESS, 1L);
    assertThat(store.countByStatusAfterAbortingAll("old", 3, 1))
        .containsEntry(ExecutionStatus.PENDING, 1L)
        .containsEntry(ExecutionStatus.SUCCESS, 1L);
    assertThat(store.countByStatusAfterAbortingAll("old", 2, 0))
        .containsEntry(ExecutionStatus.PENDING, 1L);
  }

  @Test
  void theRepairCountsTheRunsDocumentsWhichABucketEntryCanBeAheadOf() {
    RunStore store = new RunStore(mongo);
    RunRecord run = pending("ahead", RunRecord.idOf("ahead", 0), 0);
    store.insertAll(List.of(run));
    RunRecord started =
        RunLifecycle.started(run, new RunStarted("e", "ahead", run.id(), T0, 1, "r1", "process"))
            .run();
    store.replace(started, true);
    // a crash between the entry's write and the run's: the document is still the pending run
    Blocking.await(mongo.save(run, RunStore.COLLECTION));

    assertThat(store.countByStatus("ahead", 1, 0)).containsEntry(ExecutionStatus.PENDING, 1L);
    assertThat(store.countByStatusAfterAbortingAll("ahead", 1, 0))
        .containsEntry(ExecutionStatus.STARTED, 1L);
  }
}

package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.StepAttempt;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.job.persistence.MongoMapping;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A step's tries, as its runner reported them, are kept with the run and survive storage. */
class StepAttemptsTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");
  private static final List<StepAttempt> TRIES =
      List.of(
          new StepAttempt(1, 137, "timeout", T0, T0.plusSeconds(10)),
          new StepAttempt(2, 0, null, T0.plusSeconds(20), T0.plusSeconds(25)));

  private static RunRecord pendingRun() {
    return new RunRecord(
        "j-r0000000",
        "j",
        0,
        0L,
        0,
        0,
        ExecutionStatus.PENDING,
        1,
        new RunParameters(Map.of(), Map.of()),
        List.of(StepState.pending("train")),
        null,
        null,
        null,
        null,
        null);
  }

  private static final org.springframework.data.mongodb.core.convert.MappingMongoConverter
      CONVERTER = MongoMapping.standalone();

  private static org.bson.Document toDocument(RunRecord run) {
    org.bson.Document document = new org.bson.Document();
    CONVERTER.write(run, document);
    return document;
  }

  @Test
  void keepsTheAttemptsOfAFinishedStepThroughStorage() {
    StepFinished finished =
        new StepFinished(
            "e",
            "j",
            "j-r0000000",
            "train",
            T0.plusSeconds(25),
            1,
            ExecutionStatus.SUCCESS,
            0,
            null,
            T0,
            T0.plusSeconds(25),
            Map.of(),
            TRIES);

    RunRecord run = RunLifecycle.stepFinished(pendingRun(), finished).run();
    RunRecord stored = CONVERTER.read(RunRecord.class, toDocument(run));

    assertThat(run.steps().get(0).attempts()).isEqualTo(TRIES);
    assertThat(stored.steps().get(0).attempts()).isEqualTo(TRIES);
  }

  @Test
  void aStepStoredBeforeAttemptsExistedReadsWithNone() {
    org.bson.Document document = toDocument(pendingRun());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> steps = (List<Map<String, Object>>) document.get("steps");
    steps.forEach(step -> step.remove("attempts"));

    RunRecord read = CONVERTER.read(RunRecord.class, document);

    assertThat(read.steps().get(0).attempts()).isEmpty();
  }
}

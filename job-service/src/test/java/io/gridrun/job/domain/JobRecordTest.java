package io.gridrun.job.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobRecordTest {

  private static final Instant T0 = Instant.parse("2026-11-25T06:00:00Z");

  private static JobRecord started(long runs, Integer maxParallelRuns) {
    return JobRecord.created(
            "j", "n", "p", "p.json", T0, ParameterGrid.EMPTY, Map.of(), maxParallelRuns, null)
        .withSnapshot("s-j", "m", null, null, runs)
        .withBatchStarted(runs, null, null)
        .withMaterialized(runs, runs)
        .withStatus(JobStatus.STARTED, null, T0);
  }

  @Test
  void dispatchRespectsMaxParallelRuns() {
    JobRecord job = started(6, 2);

    assertThat(job.dispatchAllowance()).isEqualTo(2);
    job = job.withDispatched(2);
    assertThat(job.dispatchAllowance()).isZero();
    job =
        job.counting(0, ExecutionStatus.PENDING, ExecutionStatus.STARTED)
            .counting(0, ExecutionStatus.STARTED, ExecutionStatus.SUCCESS);
    assertThat(job.inFlight()).isEqualTo(1);
    assertThat(job.dispatchAllowance()).isEqualTo(1);
  }

  @Test
  void withoutALimitEveryWaitingRunMayBeRequested() {
    assertThat(started(6, null).dispatchAllowance()).isEqualTo(6);
  }

  @Test
  void countsRunsPerStatusAndEndsSuccessfulWhenAllSucceeded() {
    JobRecord job = started(2, null).withDispatched(2);
    for (int i = 0; i < 2; i++) {
      job =
          job.counting(0, ExecutionStatus.PENDING, ExecutionStatus.STARTED)
              .counting(0, ExecutionStatus.STARTED, ExecutionStatus.SUCCESS);
    }

    JobRecord ended = job.completedIfAllRunsEnded(T0.plusSeconds(10));

    assertThat(ended.runCounts())
        .containsEntry(ExecutionStatus.SUCCESS, 2L)
        .containsEntry(ExecutionStatus.PENDING, 0L);
    assertThat(ended.status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(ended.finishedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void endsFailedWithAReasonWhenARunDidNotSucceed() {
    JobRecord job =
        started(2, null)
            .withDispatched(2)
            .counting(0, ExecutionStatus.PENDING, ExecutionStatus.SUCCESS)
            .counting(0, ExecutionStatus.PENDING, ExecutionStatus.FAILURE);

    JobRecord ended = job.completedIfAllRunsEnded(T0);

    assertThat(ended.status()).isEqualTo(JobStatus.FAILURE);
    assertThat(ended.reason()).isEqualTo("1 of 2 runs did not succeed");
  }

  @Test
  void aRerunOfTheFailuresReopensTheJobAndItsOutcomeDecidesTheJobs() {
    JobRecord failed =
        started(2, null)
            .withDispatched(2)
            .counting(0, ExecutionStatus.PENDING, ExecutionStatus.SUCCESS)
            .counting(1, ExecutionStatus.PENDING, ExecutionStatus.FAILURE)
            .completedIfAllRunsEnded(T0);
    assertThat(failed.status()).isEqualTo(JobStatus.FAILURE);

    JobRecord rerun =
        failed.reopenedForRerun(T0).withBatchStarted(1, 0L, 2L).withMaterialized(3, 1);
    assertThat(rerun.status()).isEqualTo(JobStatus.STARTED);
    assertThat(rerun.batches().count()).isEqualTo(2);
    assertThat(rerun.batches().currentStart()).isEqualTo(2);
    assertThat(rerun.completedIfAllRunsEnded(T0).status()).isEqualTo(JobStatus.STARTED);

    JobRecord ended =
        rerun
            .withDispatched(3)
            .counting(2, ExecutionStatus.PENDING, ExecutionStatus.SUCCESS)
            .completedIfAllRunsEnded(T0.plusSeconds(5));
    assertThat(ended.status()).isEqualTo(JobStatus.SUCCESS);
    assertThat(ended.reopenedForRerun(T0).status()).isEqualTo(JobStatus.SUCCESS);
  }

  @Test
  void aCronJobNeverEndsByItselfAndIsNotDueWhilePaused() {
    JobRecord cron =
        JobRecord.created(
                "j",
                "n",
                "p",
                "p.json",
                T0,
                ParameterGrid.EMPTY,
                Map.of(),
                null,
                new io.gridrun.common.job.JobOptions(
                    null,
                    new io.gridrun.common.job.Schedule(null, "* * * * *", null, null, null),
                    null,
                    null,
                    null))
            .withSnapshot("s-j", "m", null, null, 1)
            .withStatus(JobStatus.STARTED, null, T0)
            .withNextRunAt(T0.plusSeconds(60))
            .withBatchStarted(1, null, null)
            .withMaterialized(1, 1)
            .withDispatched(1)
            .counting(0, ExecutionStatus.PENDING, ExecutionStatus.SUCCESS);

    assertThat(cron.completedIfAllRunsEnded(T0).status()).isEqualTo(JobStatus.STARTED);
    JobRecord paused = cron.withStatus(JobStatus.PAUSED, null, T0);
    assertThat(paused.batches().nextRunAt()).isNull();
    assertThat(cron.withStatus(JobStatus.ABORTED, "cancelled", T0).batches().nextRunAt()).isNull();
  }

  @Test
  void aTerminalJobNeitherDispatchesNorChangesStatusAgain() {
    JobRecord aborted = started(3, null).withStatus(JobStatus.ABORTED, "cancelled", T0);

    assertThat(aborted.dispatchAllowance()).isZero();
    assertThat(aborted.withStatus(JobStatus.SUCCESS, null, T0).status())
        .isEqualTo(JobStatus.ABORTED);
    assertThat(aborted.completedIfAllRunsEnded(T0).status()).isEqualTo(JobStatus.ABORTED);
  }

  @Test
  void keepsTheBestRunPerNumericMetricPreferringTheLowerIndexOnTies() {
    RunRecord first = run(0);
    RunRecord second = run(1);
    RunRecord third = run(2);

    var best =
        MetricBest.update(
            java.util.Map.of(), first, "train", java.util.Map.of("loss", 0.5, "tag", "a"));
    best = MetricBest.update(best, second, "train", java.util.Map.of("loss", 0.2));
    best = MetricBest.update(best, third, "train", java.util.Map.of("loss", 0.2));

    assertThat(best).containsOnlyKeys("train.loss");
    assertThat(best.get("train.loss").min().index()).isEqualTo(1);
    assertThat(best.get("train.loss").max().value()).isEqualTo(0.5);
    assertThat(best.get("train.loss").max().runId()).isEqualTo(first.id());
  }

  private static RunRecord run(long index) {
    return new RunRecord(
        RunRecord.idOf("j", index),
        "j",
        index,
        index,
        0,
        index,
        ExecutionStatus.SUCCESS,
        1,
        new io.gridrun.common.grid.RunParameters(java.util.Map.of(), java.util.Map.of()),
        java.util.List.of(),
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void runIdsAreDeterministicAndSortByPosition() {
    assertThat(RunRecord.idOf("j-1", 42)).isEqualTo("j-1-r0000042");
    assertThat(RunRecord.idOf("j-1", 9).compareTo(RunRecord.idOf("j-1", 10))).isNegative();
  }
}

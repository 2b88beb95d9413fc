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
    return new JobRecord(
            "j",
            "n",
            "p",
            "p.json",
            JobStatus.PENDING,
            null,
            T0,
            null,
            null,
            ParameterGrid.EMPTY,
            Map.of(),
            maxParallelRuns,
            null,
            "s-j",
            "m",
            null,
            null,
            runs,
            0,
            0,
            0,
            null,
            null)
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
        job.counting(ExecutionStatus.PENDING, ExecutionStatus.STARTED)
            .counting(ExecutionStatus.STARTED, ExecutionStatus.SUCCESS);
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
          job.counting(ExecutionStatus.PENDING, ExecutionStatus.STARTED)
              .counting(ExecutionStatus.STARTED, ExecutionStatus.SUCCESS);
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
            .counting(ExecutionStatus.PENDING, ExecutionStatus.SUCCESS)
            .counting(ExecutionStatus.PENDING, ExecutionStatus.FAILURE);

    JobRecord ended = job.completedIfAllRunsEnded(T0);

    assertThat(ended.status()).isEqualTo(JobStatus.FAILURE);
    assertThat(ended.reason()).isEqualTo("1 of 2 runs did not succeed");
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
        null);
  }

  @Test
  void runIdsAreDeterministicAndSortByPosition() {
    assertThat(RunRecord.idOf("j-1", 42)).isEqualTo("j-1-r0000042");
    assertThat(RunRecord.idOf("j-1", 9).compareTo(RunRecord.idOf("j-1", 10))).isNegative();
  }
}

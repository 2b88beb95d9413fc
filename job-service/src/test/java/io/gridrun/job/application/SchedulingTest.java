package io.gridrun.job.application;

import static io.gridrun.job.application.UseCaseFixture.runId;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridrun.common.event.JobControlRequested.Action;
import io.gridrun.common.event.RunCancelRequested;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.job.Schedule.Overlap;
import io.gridrun.common.status.ExecutionStatus;
import io.gridrun.common.status.JobStatus;
import io.gridrun.job.domain.Batches;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SchedulingTest {

  private static final Instant SEVEN = Instant.parse("2026-11-25T07:00:00Z");
  private static final Instant EIGHT = Instant.parse("2026-11-25T08:00:00Z");

  private final UseCaseFixture f = new UseCaseFixture();

  /** An hourly job of two runs, fired once at seven: its first batch runs. */
  private void hourlyJobFiredAtSeven(Overlap overlap) {
    Schedule hourly = new Schedule(null, "0 * * * *", null, overlap, null);
    f.start("j1", 2, null, new JobOptions(null, hourly, null, null, null));
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    assertThat(f.job("j1").batches().nextRunAt()).isEqualTo(SEVEN);
    assertThat(f.requests("j1")).isEmpty();
    f.clock.now = SEVEN;
    f.fire("j1", SEVEN);
    assertThat(f.requests("j1")).hasSize(2);
    f.clock.now = EIGHT;
  }

  @Test
  void aDuplicateFiringStartsOneBatch() {
    hourlyJobFiredAtSeven(Overlap.ALLOW);

    f.fire("j1", SEVEN);

    assertThat(f.job("j1").batches().count()).isEqualTo(1);
    assertThat(f.requests("j1")).hasSize(2);
    assertThat(f.job("j1").batches().nextRunAt()).isEqualTo(EIGHT);
  }

  @Test
  void overlapForbidSkipsAFiringWhileTheLastBatchRuns() {
    hourlyJobFiredAtSeven(Overlap.FORBID);

    f.fire("j1", EIGHT);

    assertThat(f.job("j1").batches().count()).isEqualTo(1);
    assertThat(f.requests("j1")).hasSize(2);
    assertThat(f.job("j1").batches().skippedFirings()).isEqualTo(1);
    assertThat(f.job("j1").batches().recentFirings())
        .extracting(Batches.Firing::outcome)
        .containsExactly(Batches.Outcome.STARTED, Batches.Outcome.SKIPPED);
  }

  @Test
  void aFiringWhoseBatchWouldPassTheRunsPerJobLimitStartsNothingAndSaysWhy() {
    Schedule hourly = new Schedule(null, "0 * * * *", null, Overlap.ALLOW, null);
    f.start("j1", 8, null, new JobOptions(null, hourly, null, null, null));
    f.clock.now = SEVEN;
    f.fire("j1", SEVEN);
    f.clock.now = EIGHT;
    f.fire("j1", EIGHT); // 16 runs: within the limit of 20

    f.clock.now = EIGHT.plus(Duration.ofHours(1));
    f.fire("j1", f.clock.now); // 24 would pass it

    assertThat(f.job("j1").batches().count()).isEqualTo(2);
    assertThat(f.requests("j1")).hasSize(16);
    Batches.Firing last = f.job("j1").batches().recentFirings().get(2);
    assertThat(last.outcome()).isEqualTo(Batches.Outcome.SKIPPED);
    assertThat(last.why())
        .isEqualTo(
            "the job has 16 runs; a batch of 8 more would pass the limit of 20 runs per job"
                + " (gridrun.jobs.max-runs-per-job)");
  }

  @Test
  void overlapAllowStartsABatchBesideTheRunningOne() {
    hourlyJobFiredAtSeven(Overlap.ALLOW);

    f.fire("j1", EIGHT);

    assertThat(f.job("j1").batches().count()).isEqualTo(2);
    assertThat(f.requestedRunIds("j1"))
        .containsExactly(runId("j1", 0), runId("j1", 1), runId("j1", 2), runId("j1", 3));
    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.PENDING);
  }

  @Test
  void overlapReplaceAbortsTheUnfinishedRunsThenStarts() {
    hourlyJobFiredAtSeven(Overlap.REPLACE);
    f.runEnds(runId("j1", 0), ExecutionStatus.SUCCESS, 1);

    f.fire("j1", EIGHT);

    assertThat(f.run(runId("j1", 0)).status()).isEqualTo(ExecutionStatus.SUCCESS);
    assertThat(f.run(runId("j1", 1)).status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(f.outbox.sent(RunCancelRequested.class))
        .extracting(RunCancelRequested::runId)
        .containsExactly(runId("j1", 1));
    assertThat(f.requestedRunIds("j1")).contains(runId("j1", 2), runId("j1", 3));
    assertThat(f.job("j1").batches().recentFirings())
        .extracting(Batches.Firing::outcome)
        .containsExactly(Batches.Outcome.STARTED, Batches.Outcome.REPLACED);
  }

  @Test
  void aPausedJobIgnoresItsFiringsAndGoesOnFromNowWhenResumed() {
    hourlyJobFiredAtSeven(Overlap.ALLOW);
    f.control("j1", Action.PAUSE);
    assertThat(f.job("j1").status()).isEqualTo(JobStatus.PAUSED);
    assertThat(f.job("j1").batches().nextRunAt()).isNull();

    f.fire("j1", EIGHT);
    assertThat(f.job("j1").batches().count()).isEqualTo(1);

    f.clock.now = EIGHT.plus(Duration.ofMinutes(90));
    f.control("j1", Action.RESUME);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    assertThat(f.job("j1").batches().nextRunAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
  }

  @Test
  void aOneOffJobCannotBePausedOrTriggered() {
    f.start("j1", 2, null, null);

    f.control("j1", Action.PAUSE);
    f.control("j1", Action.TRIGGER);

    assertThat(f.job("j1").status()).isEqualTo(JobStatus.STARTED);
    assertThat(f.job("j1").batches().count()).isEqualTo(1);
    assertThat(f.requests("j1")).hasSize(2);
  }
}

package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.JobControlRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.job.JobOptions;
import io.gridrun.common.job.Schedule;
import io.gridrun.common.job.Schedule.Missed;
import io.gridrun.common.job.Schedule.Overlap;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Schedules, batches and job control on the running service. Time is moved forward with the test
 * clock instead of waited for; the scheduler itself ticks for real.
 */
class ScheduleIntegrationTest extends JobServiceTestBase {

  private static final String HOURLY = "0 0 * * * *";

  @Value("${spring.mongodb.uri}")
  String mongoUri;

  @Test
  void aCronJobStartsABatchOnEveryFiringAndShowsItsNextRunAndZone() {
    String jobId = scheduledJob(cron(HOURLY, "Europe/Amsterdam", Overlap.ALLOW, null), null);

    Map<String, Object> job = job(jobId);
    assertThat(job).containsEntry("status", "STARTED").containsEntry("batches", 0);
    assertThat(job).containsEntry("timezone", "Europe/Amsterdam");
    Instant next = Instant.parse((String) job.get("nextRunAt"));
    assertThat(next).isAfter(clock.instant()).isBefore(clock.instant().plus(Duration.ofHours(1)));
    assertThat(next.atOffset(ZoneOffset.UTC).getMinute()).isZero();

    fireNext(jobId);
    assertThat(awaitRequests(jobId, 6)).allSatisfy(r -> assertThat(r.event().batch()).isZero());
    fireNext(jobId);

    List<Requested> requests = awaitRequests(jobId, 12);
    assertThat(requests).extracting(Requested::key).containsExactlyElementsOf(runIds(jobId, 12));
    assertThat(requests.subList(6, 12)).allSatisfy(r -> assertThat(r.event().batch()).isOne());
    assertThat(requests.get(6).event().index()).isZero();
    assertThat(run(requests.get(6).key())).containsEntry("batch", 1).containsEntry("index", 0);
    assertThat(job(jobId)).containsEntry("status", "STARTED").containsEntry("runCount", 12);
  }

  @Test
  void overlapForbidSkipsAFiringWhileTheBatchRunsAndRecordsTheSkip() {
    String jobId = scheduledJob(cron(HOURLY, null, Overlap.FORBID, null), null);
    fireNext(jobId);
    awaitRequests(jobId, 6);

    fireNext(jobId);
    Map<String, Object> job = job(jobId);
    assertThat(job).containsEntry("batches", 1).containsEntry("skippedFirings", 1);
    assertThat(lastFiring(job)).containsEntry("outcome", "SKIPPED");
    assertNoMoreRequestsThan(jobId, 6);

    for (String runId : runIds(jobId, 6)) {
      runSucceeds(jobId, runId, 0.1);
    }
    await().atMost(WAIT).until(() -> runCounts(job(jobId)).get("SUCCESS").equals(6));
    fireNext(jobId);
    awaitRequests(jobId, 12);
  }

  @Test
  void overlapReplaceAbortsTheRunningBatchAndStartsANewOne() {
    String jobId = scheduledJob(cron(HOURLY, null, Overlap.REPLACE, null), null);
    fireNext(jobId);
    awaitRequests(jobId, 6);
    publisher.publishAndWait(
        new RunStarted(id(), jobId, runIds(jobId, 1).get(0), at(0), 1, "runner-1"));

    fireNext(jobId);

    awaitRequests(jobId, 12);
    Map<String, Object> replaced = run(runIds(jobId, 1).get(0));
    assertThat(replaced).containsEntry("status", "ABORTED");
    assertThat((String) replaced.get("reason")).contains("overlap: replace");
    assertThat(lastFiring(job(jobId)))
        .containsEntry("outcome", "REPLACED")
        .containsEntry("batch", 1);
  }

  @Test
  void pauseStopsFiringsResumeGoesOnFromNowAndTriggerAddsABatchEvenWhilePaused() {
    String jobId = scheduledJob(cron(HOURLY, null, Overlap.ALLOW, null), null);

    post("/api/v1/jobs/{id}/pause", jobId, 202);
    await().atMost(WAIT).until(() -> "PAUSED".equals(job(jobId).get("status")));
    assertThat(job(jobId).get("nextRunAt")).isNull();
    assertThat(post("/api/v1/jobs/{id}/pause", jobId, 409)).contains("only a STARTED cron job");
    assertThat(post("/api/v1/jobs/{id}/resume", jobId, 202)).isNotNull();
    await().atMost(WAIT).until(() -> "STARTED".equals(job(jobId).get("status")));
    assertThat(post("/api/v1/jobs/{id}/resume", jobId, 409)).contains("not PAUSED");

    post("/api/v1/jobs/{id}/pause", jobId, 202);
    await().atMost(WAIT).until(() -> "PAUSED".equals(job(jobId).get("status")));
    clock.advanceTo(clock.instant().plus(Duration.ofHours(3)));
    assertNoMoreRequestsThan(jobId, 0);

    post("/api/v1/jobs/{id}/trigger", jobId, 202);
    assertThat(awaitRequests(jobId, 6)).allSatisfy(r -> assertThat(r.event().batch()).isZero());
    assertThat(job(jobId)).containsEntry("status", "PAUSED");

    post("/api/v1/jobs/{id}/resume", jobId, 202);
    await().atMost(WAIT).until(() -> job(jobId).get("nextRunAt") != null);
    // the firings that fell in the pause are not caught up
    assertThat(Instant.parse((String) job(jobId).get("nextRunAt"))).isAfter(clock.instant());
    assertNoMoreRequestsThan(jobId, 6);

    post("/api/v1/jobs/{id}/cancel", jobId, 202);
    await().atMost(WAIT).until(() -> "ABORTED".equals(job(jobId).get("status")));
    assertThat(job(jobId).get("nextRunAt")).isNull();
    assertThat(post("/api/v1/jobs/{id}/trigger", jobId, 409)).contains("ended ABORTED");
  }

  @Test
  void scheduleControlOfAOneOffJobIsAConflictThatSaysWhy() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));
    awaitRequests(jobId, 6);

    assertThat(post("/api/v1/jobs/{id}/pause", jobId, 409))
        .contains("only cron jobs can be paused");
    assertThat(post("/api/v1/jobs/{id}/resume", jobId, 409)).contains("no cron schedule");
    assertThat(post("/api/v1/jobs/{id}/trigger", jobId, 409)).contains("no cron schedule");
    assertThat(post("/api/v1/jobs/{id}/rerun-failed", jobId, 409)).contains("still running");
    post("/api/v1/jobs/{id}/pause", "j-unknown", 404);
  }

  @Test
  void aJobAtASetTimeWaitsPendingThenRunsOnceAndEnds() {
    Instant at = clock.instant().plus(Duration.ofHours(2));
    String jobId =
        scheduledJob(
            new Schedule(at.atOffset(ZoneOffset.ofHours(1)), null, null, null, null), null);

    assertThat(job(jobId)).containsEntry("status", "PENDING");
    assertThat(Instant.parse((String) job(jobId).get("nextRunAt"))).isEqualTo(at);
    assertNoMoreRequestsThan(jobId, 0);

    fireNext(jobId);
    awaitRequests(jobId, 6);
    assertThat(job(jobId).get("nextRunAt")).isNull();
    for (String runId : runIds(jobId, 6)) {
      runSucceeds(jobId, runId, 0.1);
    }
    await().atMost(WAIT).until(() -> "SUCCESS".equals(job(jobId).get("status")));
  }

  @Test
  void firingsMissedWhileDownFollowTheMissedPolicy() {
    String none = scheduledJob(cron(HOURLY, null, Overlap.ALLOW, Missed.NONE), null);
    String last = scheduledJob(cron(HOURLY, null, Overlap.ALLOW, Missed.LAST), null);
    String all = scheduledJob(cron(HOURLY, null, Overlap.ALLOW, Missed.ALL), null);
    Instant first = Instant.parse((String) job(all).get("nextRunAt"));

    // six firings pass, the last one 30 minutes ago: far beyond the grace
    clock.advanceTo(first.plus(Duration.ofMinutes(5 * 60 + 30)));

    await().atMost(WAIT).until(() -> ((Number) job(all).get("batches")).intValue() == 6);
    assertThat(awaitRequests(all, 36)).hasSize(36);
    await().atMost(WAIT).until(() -> ((Number) job(none).get("skippedFirings")).intValue() == 6);
    assertThat(job(none)).containsEntry("batches", 0);
    assertThat(lastFiring(job(none))).containsEntry("outcome", "MISSED");
    await().atMost(WAIT).until(() -> ((Number) job(last).get("batches")).intValue() == 1);
    assertThat(job(last)).containsEntry("skippedFirings", 5);
    assertThat(lastFiring(job(last)))
        .containsEntry("outcome", "STARTED")
        .containsEntry("scheduledFor", first.plus(Duration.ofHours(5)).toString());
    assertNoMoreRequestsThan(none, 0);
    assertNoMoreRequestsThan(last, 6);
  }

  @Test
  void rerunFailedStartsABatchOfOnlyTheFailedCombinationsOnTheSameSnapshot() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> first = awaitRequests(jobId, 6);
    for (int i = 0; i < 4; i++) {
      runSucceeds(jobId, first.get(i).key(), 0.1);
    }
    runFails(jobId, first.get(4).key());
    runFails(jobId, first.get(5).key());
    await().atMost(WAIT).until(() -> "FAILURE".equals(job(jobId).get("status")));

    post("/api/v1/jobs/{id}/rerun-failed", jobId, 202);

    List<Requested> all = awaitRequests(jobId, 8);
    assertThat(all.subList(6, 8))
        .allSatisfy(
            r -> {
              assertThat(r.event().batch()).isOne();
              assertThat(r.event().snapshotId()).isEqualTo("s-" + jobId);
            });
    assertThat(all.get(6).event().parameters()).isEqualTo(first.get(4).event().parameters());
    assertThat(all.get(7).event().parameters()).isEqualTo(first.get(5).event().parameters());
    assertThat(job(jobId)).containsEntry("status", "STARTED");
    assertThat(post("/api/v1/jobs/{id}/rerun-failed", jobId, 409)).contains("still running");

    runSucceeds(jobId, all.get(6).key(), 0.1);
    runSucceeds(jobId, all.get(7).key(), 0.1);
    await().atMost(WAIT).until(() -> "SUCCESS".equals(job(jobId).get("status")));
    assertThat(post("/api/v1/jobs/{id}/rerun-failed", jobId, 409)).contains("nothing to re-run");
  }

  @Test
  void failFastAbortsTheRemainingRunsOnTheFirstFailure() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, 2, new JobOptions(null, null, true, null, null)));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<Requested> requests = awaitRequests(jobId, 2);

    runFails(jobId, requests.get(0).key());

    await().atMost(WAIT).until(() -> "FAILURE".equals(job(jobId).get("status")));
    assertThat(runCounts(job(jobId))).containsEntry("FAILURE", 1).containsEntry("ABORTED", 5);
    assertThat((String) run(runIds(jobId, 6).get(5)).get("reason")).contains("fail fast");
    assertNoMoreRequestsThan(jobId, 2);
  }

  @Test
  void withTwoJobServiceInstancesEveryFiringHappensExactlyOnce() {
    try (ConfigurableApplicationContext second =
        new SpringApplicationBuilder(JobServiceApplication.class, TestClock.Configuration.class)
            // arguments, not default properties: those lose to the service's own config file
            .run(
                "--spring.config.name=" + JobServiceApplication.CONFIG_NAME,
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
                "--spring.mongodb.uri=" + mongoUri,
                "--gridrun.kafka.partitions=2",
                "--gridrun.jobs.schedule.tick=100ms")) {
      assertThat(second.getBean(java.time.Clock.class).instant())
          .isCloseTo(
              clock.instant(),
              org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.SECONDS));
      String jobId = scheduledJob(cron(HOURLY, null, Overlap.ALLOW, null), null);
      for (int firing = 0; firing < 3; firing++) {
        Instant due = fireNext(jobId);
        // as if yet another instance published the same firing late
        publisher.publishAndWait(
            new JobControlRequested(
                id(), jobId, clock.instant(), JobControlRequested.Action.FIRE, null, due));
      }

      List<Requested> requests = awaitRequests(jobId, 18);
      assertNoMoreRequestsThan(jobId, 18);
      assertThat(requests).extracting(Requested::key).doesNotHaveDuplicates();
      assertThat(requests).extracting(r -> r.event().batch()).containsOnly(0, 1, 2);
      assertThat(job(jobId)).containsEntry("batches", 3).containsEntry("skippedFirings", 0);
    }
  }

  // ---- helpers

  private static Schedule cron(String expression, String zone, Overlap overlap, Missed missed) {
    return new Schedule(null, expression, zone, overlap, missed);
  }

  /** Creates a job on {@code schedule}, takes its snapshot and waits for it to be scheduled. */
  private String scheduledJob(Schedule schedule, Integer maxParallelRuns) {
    String jobId = newJobId();
    publisher.publishAndWait(
        jobCreated(jobId, maxParallelRuns, new JobOptions(null, schedule, null, null, null)));
    publisher.publishAndWait(snapshotCreated(jobId));
    await().atMost(WAIT).until(() -> exists(jobId) && job(jobId).get("nextRunAt") != null);
    return jobId;
  }

  /** Moves the clock to the job's next firing and waits until the firing was applied. */
  private Instant fireNext(String jobId) {
    Map<String, Object> before = job(jobId);
    Instant due = Instant.parse((String) before.get("nextRunAt"));
    int firings = firings(before).size();
    clock.advanceTo(due.plusMillis(500));
    await().atMost(WAIT).until(() -> firings(job(jobId)).size() > firings);
    return due;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> firings(Map<String, Object> job) {
    Object firings = job.get("firings");
    return firings == null ? List.of() : (List<Map<String, Object>>) firings;
  }

  private static Map<String, Object> lastFiring(Map<String, Object> job) {
    List<Map<String, Object>> firings = firings(job);
    return firings.get(firings.size() - 1);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> runCounts(Map<String, Object> job) {
    return (Map<String, Object>) job.get("runCounts");
  }

  private void runFails(String jobId, String runId) {
    publisher.publishAndWait(new RunStarted(id(), jobId, runId, at(0), 1, "runner-1"));
    publisher.publishAndWait(
        stepFinished(jobId, runId, "prep", ExecutionStatus.FAILURE, 1, "exit code 1", Map.of()));
    publisher.publishAndWait(
        stepFinished(
            jobId,
            runId,
            "train",
            ExecutionStatus.ABORTED,
            null,
            "upstream step failed",
            Map.of()));
  }

  private String post(String path, String jobId, int expectedStatus) {
    return http.post()
        .uri(path, jobId)
        .exchange()
        .expectStatus()
        .isEqualTo(expectedStatus)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}

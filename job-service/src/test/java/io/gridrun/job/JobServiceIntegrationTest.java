package io.gridrun.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gridrun.common.event.JobCreated;
import io.gridrun.common.event.RunRequested;
import io.gridrun.common.event.RunStarted;
import io.gridrun.common.event.SnapshotFailed;
import io.gridrun.common.event.StepFinished;
import io.gridrun.common.event.StepStarted;
import io.gridrun.common.event.Topics;
import io.gridrun.common.grid.ParameterGrid;
import io.gridrun.common.grid.RunParameters;
import io.gridrun.common.status.ExecutionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The service as a whole: job and snapshot events in, run requests out, runner events aggregated,
 * everything read over HTTP.
 */
class JobServiceIntegrationTest extends JobServiceTestBase {

  @Test
  void expandsTheGridRequestsEveryRunAndAggregatesTheRunnersEvents() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(snapshotCreated(jobId));

    List<Requested> runs = awaitRequests(jobId, 6);
    assertThat(runs).extracting(Requested::key).containsExactlyElementsOf(runIds(jobId, 6));
    for (int i = 0; i < 6; i++) {
      RunRequested run = runs.get(i).event();
      assertThat(run.runId()).isEqualTo(runs.get(i).key());
      assertThat(run.index()).isEqualTo(i);
      assertThat(run.batch()).isZero();
      assertThat(run.attempt()).isEqualTo(1);
      assertThat(run.snapshotId()).isEqualTo("s-" + jobId);
      assertThat(run.manifest()).isEqualTo("manifests/" + jobId);
      assertThat(run.pipeline()).isEqualTo(PIPELINE);
      assertThat(run.environments()).isEqualTo(ENVIRONMENTS);
      assertThat(run.env()).isEqualTo(Map.of("MODE", "full"));
      // the first grid key varies slowest
      assertThat(run.parameters())
          .isEqualTo(
              new RunParameters(
                  Map.of("lr", List.of(0.1, 0.01).get(i / 3)),
                  Map.of("train", Map.of("epochs", List.of(1, 2, 3).get(i % 3)))));
    }
    Map<String, Object> pending = job(jobId);
    assertThat(pending).containsEntry("status", "STARTED").containsEntry("runCount", 6);
    assertThat(pending.get("runCounts")).isEqualTo(counts(6, 0, 0, 0, 0));

    // run 0: its first step fails, so the runner aborts the second one
    String failing = runIds(jobId, 1).get(0);
    publisher.publishAndWait(new RunStarted(id(), jobId, failing, at(0), 1, "runner-1"));
    publisher.publishAndWait(new StepStarted(id(), jobId, failing, "prep", at(1), 1));
    publisher.publishAndWait(
        stepFinished(jobId, failing, "prep", ExecutionStatus.FAILURE, 3, "exit code 3", Map.of()));
    publisher.publishAndWait(
        new StepFinished(
            id(),
            jobId,
            failing,
            "train",
            at(3),
            1,
            ExecutionStatus.ABORTED,
            null,
            "upstream step failed",
            null,
            at(3),
            Map.of()));
    String succeeded = runIds(jobId, 2).get(1);
    runSucceeds(jobId, succeeded, 0.5);

    await().atMost(WAIT).until(() -> "SUCCESS".equals(run(succeeded).get("status")));
    Map<String, Object> failed = run(failing);
    assertThat(failed)
        .containsEntry("status", "FAILURE")
        .containsEntry("reason", "exit code 3")
        .containsEntry("index", 0)
        .containsEntry("attempt", 1);
    List<Map<String, Object>> steps = steps(failed);
    assertThat(steps).extracting(s -> s.get("id")).containsExactly("prep", "train");
    assertThat(steps.get(0))
        .containsEntry("status", "FAILURE")
        .containsEntry("exitCode", 3)
        .containsEntry("reason", "exit code 3")
        .containsEntry("startedAt", at(1).toString())
        .containsEntry("finishedAt", at(2).toString());
    assertThat(steps.get(1))
        .containsEntry("status", "ABORTED")
        .containsEntry("exitCode", null)
        .containsEntry("reason", "upstream step failed")
        .containsEntry("startedAt", null);
    assertThat(run(succeeded).get("metrics")).isEqualTo(Map.of("train", Map.of("loss", 0.5)));

    // a late, contradicting and a duplicate StepFinished for a finished run change nothing
    Map<String, Object> before = run(succeeded);
    publisher.publishAndWait(
        stepFinished(jobId, succeeded, "train", ExecutionStatus.FAILURE, 1, "late", Map.of()));
    publisher.publishAndWait(
        stepFinished(
            jobId, succeeded, "train", ExecutionStatus.SUCCESS, 0, null, Map.of("loss", 0.5)));
    // events of a job are handled in order: once run 2 is seen finished, the duplicates were too
    List<String> rest = runIds(jobId, 6).subList(2, 6);
    runSucceeds(jobId, rest.get(0), 0.4);
    await().atMost(WAIT).until(() -> "SUCCESS".equals(run(rest.get(0)).get("status")));
    assertThat(run(succeeded)).isEqualTo(before);
    assertThat(job(jobId).get("runCounts")).isEqualTo(counts(3, 0, 2, 1, 0));

    rest.subList(1, 4).forEach(runId -> runSucceeds(jobId, runId, 0.3));
    await().atMost(WAIT).until(() -> "FAILURE".equals(job(jobId).get("status")));
    Map<String, Object> ended = job(jobId);
    assertThat(ended.get("runCounts")).isEqualTo(counts(0, 0, 5, 1, 0));
    assertThat(ended.get("finishedAt")).isInstanceOf(String.class);
    assertThat(Instant.parse((String) ended.get("finishedAt"))).isNotNull();
    assertThat(ended).containsEntry("snapshotId", "s-" + jobId);

    Map<String, Object> page =
        http.get()
            .uri("/api/v1/jobs/{id}/runs?status=FAILURE", jobId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    assertThat(page).containsEntry("total", 1).containsEntry("page", 0).containsEntry("size", 50);
    assertThat(items(page)).extracting(r -> r.get("id")).containsExactly(failing);
  }

  @Test
  void aJobTimeoutReachesTheRunnersAsTheRunTimeoutOfEveryRequest() {
    String jobId = newJobId();
    publisher.publishAndWait(
        jobCreated(
            jobId,
            null,
            new io.gridrun.common.job.JobOptions(null, null, null, null, null, "45m")));
    publisher.publishAndWait(snapshotCreated(jobId));

    assertThat(awaitRequests(jobId, 6))
        .allSatisfy(r -> assertThat(r.event().pipeline().timeout()).isEqualTo("45m"));
  }

  @Test
  void anUndecodableEventIsDeadLetteredAndTheEventsAfterItOnItsPartitionAreStillHandled()
      throws Exception {
    String jobId = newJobId();
    try (var deadLetters = fromTheStart(broker, Topics.deadLetterOf(Topics.JOBS));
        var producer =
            new org.apache.kafka.clients.producer.KafkaProducer<String, String>(
                Map.of(
                    "bootstrap.servers", broker.getBrokersAsString(),
                    "key.serializer", org.apache.kafka.common.serialization.StringSerializer.class,
                    "value.serializer",
                        org.apache.kafka.common.serialization.StringSerializer.class))) {
      // same key, same partition: the poison comes first
      producer
          .send(new org.apache.kafka.clients.producer.ProducerRecord<>(Topics.JOBS, jobId, "{oops"))
          .get();
      publisher.publishAndWait(jobCreated(jobId, null));
      publisher.publishAndWait(snapshotCreated(jobId));

      assertThat(awaitRequests(jobId, 6)).hasSize(6);
      List<String> parked = new java.util.ArrayList<>();
      await()
          .atMost(WAIT)
          .until(
              () -> {
                deadLetters
                    .poll(java.time.Duration.ofMillis(200))
                    .forEach(r -> parked.add(r.key() + " " + r.value()));
                return parked.contains(jobId + " {oops");
              });
    }
  }

  @Test
  void keepsAtMostMaxParallelRunsOfAJobInFlight() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, 2));
    publisher.publishAndWait(snapshotCreated(jobId));
    List<String> ids = runIds(jobId, 6);

    assertThat(awaitRequests(jobId, 2)).extracting(Requested::key).isEqualTo(ids.subList(0, 2));
    assertNoMoreRequestsThan(jobId, 2);
    assertThat(job(jobId)).containsEntry("materializedRuns", 6).containsEntry("dispatchedRuns", 2);

    runSucceeds(jobId, ids.get(0), 0.1);
    assertThat(awaitRequests(jobId, 3)).extracting(Requested::key).isEqualTo(ids.subList(0, 3));
    assertNoMoreRequestsThan(jobId, 3);

    // a run that is only started keeps its slot
    publisher.publishAndWait(
        new RunStarted(id(), jobId, ids.get(1), at(0), 1, "runner-1", "process"));
    await().atMost(WAIT).until(() -> "STARTED".equals(run(ids.get(1)).get("status")));
    // the API says which executor ran it
    assertThat(run(ids.get(1))).containsEntry("executor", "process");
    assertNoMoreRequestsThan(jobId, 3);

    for (String runId : ids) {
      if (!"SUCCESS".equals(run(runId).get("status"))) {
        int before = requestsOf(jobId).size();
        runSucceeds(jobId, runId, 0.1);
        if (before < 6) {
          awaitRequests(jobId, before + 1);
        }
      }
    }
    await().atMost(WAIT).until(() -> "SUCCESS".equals(job(jobId).get("status")));
    assertThat(requestsOf(jobId)).extracting(Requested::key).containsExactlyElementsOf(ids);
  }

  @Test
  void aFailedSnapshotEndsTheJobWithItsReason() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(
        new SnapshotFailed(id(), jobId, at(0), "environment 'x' has no image 'nope:1'"));

    await().atMost(WAIT).until(() -> "FAILURE".equals(job(jobId).get("status")));
    assertThat(job(jobId))
        .containsEntry("reason", "snapshot failed: environment 'x' has no image 'nope:1'")
        .containsEntry("runCount", 0);
  }

  @Test
  void reportsHealthAndCountsJobsOnThePrometheusEndpoint() {
    String jobId = newJobId();
    publisher.publishAndWait(jobCreated(jobId, null));
    publisher.publishAndWait(new SnapshotFailed(id(), jobId, at(0), "no such project"));
    await().atMost(WAIT).until(() -> "FAILURE".equals(job(jobId).get("status")));

    http.get()
        .uri("/actuator/health")
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.status")
        .isEqualTo("UP");
    String scrape =
        http.get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    assertThat(scrape)
        .containsPattern("(?m)^gridrun_jobs_received_total\\S* [1-9]")
        .containsPattern("(?m)^gridrun_jobs_finished_total\\{.*status=\"FAILURE\".*} [1-9]")
        // the listener was told of its partitions' assignment (what it keeps of jobs was dropped)
        .containsPattern("(?m)^gridrun_jobs_partitions_moved_total\\S* [1-9]");
  }

  @Test
  void aGridThatDoesNotFitTheSnapshotsPipelineFailsTheJob() {
    String jobId = newJobId();
    ParameterGrid grid = new ParameterGrid(Map.of(), Map.of("evaluate", Map.of("k", List.of(1))));
    publisher.publishAndWait(
        new JobCreated(
            id(), jobId, at(0), "it", "demo", "train.pipeline.json", grid, Map.of(), null));
    publisher.publishAndWait(snapshotCreated(jobId));

    await().atMost(WAIT).until(() -> "FAILURE".equals(job(jobId).get("status")));
    assertThat((String) job(jobId).get("reason")).contains("the pipeline has no step 'evaluate'");
  }

  @Test
  void answersProblemsForUnknownJobsAndRunsAndBadPages() {
    http.get()
        .uri("/api/v1/jobs/j-unknown")
        .exchange()
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.detail")
        .isEqualTo("unknown job 'j-unknown'");
    http.get().uri("/api/v1/runs/j-unknown-r0000000").exchange().expectStatus().isNotFound();
    http.get().uri("/api/v1/jobs/j-unknown/runs").exchange().expectStatus().isNotFound();
    http.get().uri("/api/v1/jobs?size=501").exchange().expectStatus().isBadRequest();
    http.get().uri("/api/v1/jobs?page=-1").exchange().expectStatus().isBadRequest();
    http.get()
        .uri("/api/v1/jobs/j-unknown/runs?status=DONE")
        .exchange()
        .expectStatus()
        .isBadRequest()
        .expectHeader()
        .contentType("application/problem+json");
  }

  @Test
  void listsJobsNewestFirst() {
    String older = "j-20261125-060000-" + UUID.randomUUID().toString().substring(0, 6);
    String newer = "j-20261125-070000-" + UUID.randomUUID().toString().substring(0, 6);
    publisher.publishAndWait(jobCreated(older, null));
    publisher.publishAndWait(jobCreated(newer, null));
    await().atMost(WAIT).until(() -> exists(older) && exists(newer));

    Map<String, Object> page =
        http.get()
            .uri("/api/v1/jobs?size=500")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(MAP)
            .returnResult()
            .getResponseBody();
    List<Object> ids = items(page).stream().map(j -> j.get("id")).toList();
    assertThat(ids.indexOf(newer)).isNotNegative().isLessThan(ids.indexOf(older));
  }
}
